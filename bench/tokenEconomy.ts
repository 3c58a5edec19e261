/**
 * 3. Token economy: 1,000 freepublish/submit calls from 10 concurrent callers through the
 * transport (weChatWrite on the IExecuteFunctions double, real HTTP to the sandbox), counted
 * by the sandbox; beside it a naive client that fetches a token before every call.
 */
import { weChatWrite } from '../nodes/WeChatOfficialAccount/transport';
import { sharedTokenCache } from '../nodes/wechat/token';
import { createExecuteFunctions } from '../test/helpers/executeFunctions';
import { createHttpRequest } from '../test/helpers/httpRequest';
import { WeChatSandbox } from '../test/sandbox';
import { createDrafts, credentialFor, uploadCover } from '../test/unit/action-harness';
import { format, formatRatio, median, type ResultRow, type SectionResult } from './report';

const SUBMITS = 1000;
const CALLERS = 10;
const RUNS = 4;
const SUBMIT_PATH = '/cgi-bin/freepublish/submit';
const TOKEN_PATH = '/cgi-bin/stable_token';

/** `calls` calls spread over `callers` concurrent loops; milliseconds taken. */
async function concurrently(callers: number, calls: number, call: (caller: number) => Promise<unknown>): Promise<number> {
	const start = performance.now();
	let next = 0;
	await Promise.all(
		Array.from({ length: callers }, async (_, caller) => {
			while (next < calls) {
				next++;
				await call(caller);
			}
		}),
	);
	return performance.now() - start;
}

interface Counted {
	tokenRequests: number;
	submits: number;
	total: number;
	ms: number;
}

function counted(sandbox: WeChatSandbox, ms: number): Counted {
	const counts = sandbox.counts();
	return {
		tokenRequests: counts[TOKEN_PATH] ?? 0,
		submits: counts[SUBMIT_PATH] ?? 0,
		total: Object.values(counts).reduce((sum, count) => sum + count, 0),
		ms,
	};
}

/** Ours: each caller is an execution of its own, the token cache is the process's. */
async function throughTransport(sandbox: WeChatSandbox, mediaId: string): Promise<Counted> {
	sharedTokenCache.clear();
	sandbox.resetCounts();
	const executions = Array.from({ length: CALLERS }, () =>
		createExecuteFunctions({ parameters: {}, credentials: { weChatOfficialAccountApi: credentialFor(sandbox) } }),
	);
	const ms = await concurrently(CALLERS, SUBMITS, async (caller) => {
		await weChatWrite.call(executions[caller], SUBMIT_PATH, { media_id: mediaId });
	});
	return counted(sandbox, ms);
}

/** The naive client: stable_token, then the call, every time, on the same HTTP helper. */
async function tokenPerCall(sandbox: WeChatSandbox, mediaId: string): Promise<Counted> {
	sandbox.resetCounts();
	const httpRequest = createHttpRequest();
	const { appId, appSecret } = sandbox.config;
	const ms = await concurrently(CALLERS, SUBMITS, async () => {
		const grant = (await httpRequest({
			method: 'POST',
			url: `${sandbox.url}${TOKEN_PATH}`,
			body: { grant_type: 'client_credential', appid: appId, secret: appSecret, force_refresh: false },
		})) as { access_token?: string };
		if (!grant.access_token) throw new Error('naive client got no token');
		const job = (await httpRequest({
			method: 'POST',
			url: `${sandbox.url}${SUBMIT_PATH}`,
			qs: { access_token: grant.access_token },
			body: { media_id: mediaId },
		})) as { errcode?: number };
		if (job.errcode) throw new Error(`naive submit failed: errcode ${job.errcode}`);
	});
	return counted(sandbox, ms);
}

export async function benchTokenEconomy(): Promise<SectionResult> {
	// Jobs stay "publishing" for an hour, so one draft takes every submit; close() ends the timers.
	const sandbox = await WeChatSandbox.start({ publish: { status: 0, delayMs: 3_600_000 } });
	try {
		const [mediaId] = await createDrafts(sandbox, await uploadCover(sandbox), ['Token economy']);
		// A B A B: every run's counts must hold; the rates are the medians of the runs.
		const runs: Array<{ ours: Counted; naive: Counted }> = [];
		for (let run = 0; run < RUNS; run++) {
			runs.push({ ours: await throughTransport(sandbox, mediaId), naive: await tokenPerCall(sandbox, mediaId) });
		}
		/** The distinct values of a count over the runs: one value when every run agrees. */
		const values = (side: 'ours' | 'naive', count: keyof Counted) =>
			[...new Set(runs.map((run) => run[side][count]))];
		const shown = (side: 'ours' | 'naive', count: keyof Counted) => values(side, count).map((value) => format(value)).join(' / ');
		const always = (count: keyof Counted, expected: number) =>
			values('ours', count).length === 1 && values('ours', count)[0] === expected;
		const rate = (side: 'ours' | 'naive') => (SUBMITS / median(runs.map((run) => run[side].ms))) * 1000;
		const rows: ResultRow[] = [
			{
				measurement: `3. token requests, ${format(SUBMITS)} submits from ${CALLERS} concurrent callers (each of ${RUNS} runs)`,
				ours: shown('ours', 'tokenRequests'),
				reference: `naive ${shown('naive', 'tokenRequests')}`,
				target: 'exactly 1',
				met: always('tokenRequests', 1),
			},
			{
				measurement: '3. submits counted by the sandbox',
				ours: shown('ours', 'submits'),
				reference: `naive ${shown('naive', 'submits')}`,
				target: `exactly ${format(SUBMITS)}`,
				met: always('submits', SUBMITS),
			},
			{
				measurement: '3. all requests counted by the sandbox',
				ours: shown('ours', 'total'),
				reference: `naive ${shown('naive', 'total')}`,
				target: format(SUBMITS + 1),
				met: always('total', SUBMITS + 1),
			},
			{
				measurement: '3. submits per second, loopback (median of runs)',
				ours: format(rate('ours')),
				reference: `naive ${format(rate('naive'))}`,
				ratio: formatRatio(rate('ours') / rate('naive')),
			},
		];
		return { rows, notMeasured: [], notes: [] };
	} finally {
		await sandbox.close();
	}
}
