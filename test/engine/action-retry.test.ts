import { WeChatSandbox } from '../sandbox';
import { createDraft, DONE, runAction, WECHAT } from './harness/workflows';

// n8n's "Retry On Fail" (node settings) re-runs the whole node, all items, inside n8n-core's
// engine: fine for a read (the node's own read retries come first, three tries), a resent write
// for a write, which therefore refuses to run with the setting on.

/** Retry On Fail as a user sets it, with the shortest wait n8n allows (it reads 0 as 1000 ms). */
const RETRY = { retryOnFail: true, maxTries: 2, waitBetweenTries: 1 };

describe('Retry On Fail inside n8n-core', () => {
	let sandbox: WeChatSandbox;
	let mediaId: string;

	beforeAll(async () => {
		sandbox = await WeChatSandbox.start({ publish: { status: 0, delayMs: 10 } });
		mediaId = await createDraft(sandbox, 'Retry draft');
	});

	afterEach(() => sandbox.clearFaults());

	afterAll(async () => await sandbox?.close());

	const getDraft = { resource: 'draft', operation: 'get', mediaId: { __rl: true, mode: 'id', value: '' } };

	it('re-runs a read after the node gave up on a busy WeChat, and the second run succeeds', async () => {
		const parameters = { ...getDraft, mediaId: { ...getDraft.mediaId, value: mediaId } };
		// WeChat "system busy" for all three tries of the node's own read retries.
		sandbox.injectFault('/cgi-bin/draft/get', { errcode: -1 }, 3);
		const before = sandbox.count('/cgi-bin/draft/get');

		const result = await runAction(sandbox, parameters, { settings: RETRY });

		expect(result.error).toBeUndefined();
		expect(sandbox.count('/cgi-bin/draft/get') - before).toBe(4);
		expect(result.reached(DONE)).toEqual([expect.objectContaining({ pairedItem: { item: 0 } })]);
		expect(result.run.data.resultData.runData[WECHAT]).toHaveLength(1);
	});

	it('fails the same read without Retry On Fail (the retry above was n8n-core\'s)', async () => {
		const parameters = { ...getDraft, mediaId: { ...getDraft.mediaId, value: mediaId } };
		sandbox.injectFault('/cgi-bin/draft/get', { errcode: -1 }, 3);
		const before = sandbox.count('/cgi-bin/draft/get');

		const result = await runAction(sandbox, parameters);

		expect(result.error).toMatch(/WeChat error -1/);
		expect(sandbox.count('/cgi-bin/draft/get') - before).toBe(3);
	});

	it('refuses to run a write (publish submit) under Retry On Fail: nothing is sent, however often n8n retries', async () => {
		const submit = { resource: 'publish', operation: 'submit', mediaId: { __rl: true, mode: 'id', value: mediaId }, options: {} };
		const before = sandbox.count('/cgi-bin/freepublish/submit');

		const result = await runAction(sandbox, submit, { settings: RETRY });

		expect(result.error).toMatch(/Retry On Fail/);
		expect(sandbox.count('/cgi-bin/freepublish/submit') - before).toBe(0);
		expect(result.reached(DONE)).toEqual([]);
	});
});
