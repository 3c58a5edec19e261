/**
 * 5. Submit and wait: how many freepublish/get polls the action node's Publish → Submit with
 * "Wait for Result" sends for a job that ends after 3 s, 30 s and 5 min. The node's real
 * execute() talks to the sandbox over HTTP; only time is simulated: n8n-workflow's `sleep` (the
 * one the operation imports) advances a virtual clock that `Date.now()` reads, in the operation
 * and in the sandbox's job ageing alike, so 5 minutes pass in milliseconds.
 */
import path from 'node:path';

import { WeChatSandbox } from '../test/sandbox';
import { createDrafts, runNode, uploadCover } from '../test/unit/action-harness';
import { format, type SectionResult } from './report';

const GET_PATH = '/cgi-bin/freepublish/get';
/** The operation's defaults: first wait 5 s, wait at most 600 s. */
const DEFAULT_POLL_INTERVAL_S = 5;
const JOB_DURATIONS_S = [3, 30, 300];

/** n8n-workflow re-exports `sleep` from @n8n/utils through getters, so replacing it there is what the node calls. */
function sleepModule(): { sleep: (ms: number) => Promise<void> } {
	const workflowDir = path.dirname(require.resolve('n8n-workflow'));
	// eslint-disable-next-line @typescript-eslint/no-require-imports -- the very module object n8n-workflow reads, not an import's copy
	return require(require.resolve('@n8n/utils/sleep', { paths: [workflowDir] })) as { sleep: (ms: number) => Promise<void> };
}

/** Runs `body` with a virtual clock; returns what it returned. */
async function withVirtualClock<T>(body: () => Promise<T>): Promise<T> {
	const module = sleepModule();
	const realSleep = module.sleep;
	const realNow = Date.now;
	let skippedMs = 0;
	Date.now = () => realNow() + skippedMs;
	module.sleep = async (ms: number) => {
		skippedMs += ms;
		await new Promise((resolve) => setImmediate(resolve));
	};
	try {
		return await body();
	} finally {
		module.sleep = realSleep;
		Date.now = realNow;
	}
}

export async function benchSubmitWait(): Promise<SectionResult> {
	const result: SectionResult = { rows: [], notMeasured: [], notes: [] };
	// Token clock fixed at the real one: a virtual 5 minutes must not age tokens differently.
	const sandbox = await WeChatSandbox.start({ now: Date.now });
	try {
		const cover = await uploadCover(sandbox);
		for (const seconds of JOB_DURATIONS_S) {
			sandbox.configure({ publish: { status: 0, delayMs: seconds * 1000 } });
			const [mediaId] = await createDrafts(sandbox, cover, [`Ends after ${seconds} s`]);
			sandbox.resetCounts();
			const { item, waitedMs } = await withVirtualClock(async () => {
				const start = Date.now();
				const [output] = await runNode(sandbox, {
					resource: 'publish',
					operation: 'submit',
					mediaId: { __rl: true, mode: 'id', value: mediaId },
					options: { waitForResult: true },
				});
				return { item: output.json, waitedMs: Date.now() - start };
			});
			if (item.publish_status !== 0) throw new Error(`job of ${seconds} s ended with ${String(item.publish_status)}`);
			const polls = sandbox.count(GET_PATH);
			const fixedIntervalPolls = Math.ceil(seconds / DEFAULT_POLL_INTERVAL_S);
			result.rows.push({
				measurement: `5. freepublish/get polls, job done after ${format(seconds)} s`,
				ours: `${polls} (result after ${(waitedMs / 1000).toFixed(1)} s)`,
				reference: `every ${DEFAULT_POLL_INTERVAL_S} s: ${fixedIntervalPolls}`,
			});
		}
	} finally {
		await sandbox.close();
	}
	result.notes.push(
		`5. Default options (first wait ${DEFAULT_POLL_INTERVAL_S} s, each wait 1.2x the last, at most 4x the first); the reference column is computed, not measured: a fixed ${DEFAULT_POLL_INTERVAL_S} s poller.`,
	);
	return result;
}
