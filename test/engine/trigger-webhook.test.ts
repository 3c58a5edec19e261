import type { IRun } from 'n8n-workflow';

import { computeSignature } from '../../nodes/wechat/signature';
import { WeChatSandbox } from '../sandbox';
import { outputsOf } from './harness/engine';
import { EngineTriggerServer, TRIGGER, TRIGGER_OUTPUTS } from './harness/webhook';
import { createDraft, runAction, sandboxCredentials, succeeded } from './harness/workflows';

// The trigger's webhook() through n8n-core's WebhookContext behind n8n's own body middlewares,
// and the chain in one process: the action node submits inside WorkflowExecute, the sandbox
// pushes PUBLISHJOBFINISH (safe mode) to the trigger, whose output runs inside WorkflowExecute.

/** The output each item of a trigger run left on, by output name. */
function routed(run: IRun): Record<string, unknown[]> {
	const outputs = outputsOf(run, TRIGGER);
	return Object.fromEntries(TRIGGER_OUTPUTS.map((name, index) => [name, (outputs[index] ?? []).map((item) => item.json)]));
}

describe('the trigger inside n8n-core', () => {
	let sandbox: WeChatSandbox;
	let trigger: EngineTriggerServer;

	beforeAll(async () => {
		sandbox = await WeChatSandbox.start({ publish: { status: 0, delayMs: 20 } });
		trigger = await EngineTriggerServer.start(sandboxCredentials(sandbox));
		sandbox.configure({ callback: { url: trigger.url, mode: 'safe' } });
	});

	afterAll(async () => {
		await sandbox?.close();
		await trigger?.close();
	});

	/** Submits a new draft through the action node and waits for the push; its publish_id. */
	async function publish(status: number): Promise<string> {
		sandbox.configure({ publish: { status } });
		const mediaId = await createDraft(sandbox, `Engine trigger ${status}`);
		const [submitted] = succeeded(await runAction(sandbox, { resource: 'publish', operation: 'submit', mediaId: { __rl: true, mode: 'id', value: mediaId }, options: {} }));
		await sandbox.idle();
		await trigger.idle();
		return String(submitted.json.publish_id);
	}

	it("answers WeChat's URL check with the echostr", async () => {
		const timestamp = String(Math.floor(Date.now() / 1000));
		const query = new URLSearchParams({ signature: computeSignature(sandbox.config.token, timestamp, '42'), timestamp, nonce: '42', echostr: 'engine-echo' });
		const answer = await fetch(`${trigger.url}?${query}`);
		expect(answer.status).toBe(200);
		expect(await answer.text()).toBe('engine-echo');
		expect(trigger.runs).toHaveLength(0);
	});

	it('runs the Published output for a job that ends with status 0, after answering success', async () => {
		const publishId = await publish(0);
		expect(sandbox.pushes.filter((push) => push.publishId === publishId).map(({ httpStatus, body }) => ({ httpStatus, body }))).toEqual([
			{ httpStatus: 200, body: 'success' },
		]);
		const run = trigger.runs.at(-1)!;
		expect(run.status).toBe('success');
		expect(routed(run)).toEqual({
			Published: [expect.objectContaining({ publish_id: publishId, publish_status: 0, status: 'published' })],
			Failed: [],
			Removed: [],
			Other: [],
		});
		expect(outputsOf(run, 'Published')[0]).toHaveLength(1);
		expect(run.data.resultData.runData.Failed).toBeUndefined();
	});

	it('runs the Failed output for a rejected job (status 4)', async () => {
		const publishId = await publish(4);
		const run = trigger.runs.at(-1)!;
		expect(routed(run).Failed).toEqual([expect.objectContaining({ publish_id: publishId, status: 'audit_rejected' })]);
		expect(run.data.resultData.runData.Published).toBeUndefined();
	});

	it('starts nothing for a forged push or a duplicate delivery', async () => {
		const runsBefore = trigger.runs.length;
		const event = { MsgType: 'event', Event: 'PUBLISHJOBFINISH', PublishEventInfo: { publish_id: '990000000000000001', publish_status: 0 } };

		const forged = await sandbox.pushEvent(event, { mode: 'safe', tamper: 'msg_signature' });
		expect(forged.status).toBeGreaterThanOrEqual(400);
		expect(forged.status).toBeLessThan(500);

		expect(await sandbox.pushEvent(event, { mode: 'safe' })).toMatchObject({ status: 200, body: 'success' });
		expect(await sandbox.pushEvent(event, { mode: 'safe' })).toMatchObject({ status: 200, body: 'success' });
		await trigger.idle();
		expect(trigger.runs.length - runsBefore).toBe(1);
	});
});
