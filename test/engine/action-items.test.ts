import type { INodeExecutionData } from 'n8n-workflow';

import { WeChatSandbox } from '../sandbox';
import { createDraft, DONE, FAILED, runAction, START, WECHAT } from './harness/workflows';

// Per-item semantics of the action node as n8n-core's engine applies them: which items reach the
// next node, on which output, paired to which input item, and what a failure does to the run.

const getDraft = (mediaId: string) => ({ resource: 'draft', operation: 'get', mediaId: { __rl: true, mode: 'id', value: mediaId } });

/** Items a user pins on the Manual Trigger: one per draft to read. */
const draftItems = (...mediaIds: string[]): INodeExecutionData[] => mediaIds.map((mediaId) => ({ json: { mediaId } }));

const byExpression = { resource: 'draft', operation: 'get', mediaId: { __rl: true, mode: 'id', value: '={{ $json.mediaId }}' } };

describe('the action node inside n8n-core: per item', () => {
	let sandbox: WeChatSandbox;
	let existing: string;

	beforeAll(async () => {
		sandbox = await WeChatSandbox.start();
		existing = await createDraft(sandbox, 'Engine draft');
	});

	afterAll(async () => await sandbox?.close());

	it('runs Manual Trigger → WeChat → No Operation and pairs each output item with its input item', async () => {
		const result = await runAction(sandbox, byExpression, { items: draftItems(existing, existing) });
		expect(result.error).toBeUndefined();
		expect(result.nodeOrder).toEqual([START, WECHAT, DONE]);
		const [done] = result.wechat;
		expect(done.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(done.map((item) => (item.json.news_item as Array<{ title: string }>)[0].title)).toEqual(['Engine draft', 'Engine draft']);
		expect(result.reached(DONE)).toHaveLength(2);
	});

	it('stops the run at a failed item without Continue On Fail, naming the item', async () => {
		const result = await runAction(sandbox, byExpression, { items: draftItems(existing, 'no-such-draft', existing) });
		expect(result.error).toMatch(/40007/);
		expect(result.run.data.resultData.lastNodeExecuted).toBe(WECHAT);
		expect(result.reached(DONE)).toEqual([]);
		expect(result.run.status).toBe('error');
		const [task] = result.run.data.resultData.runData[WECHAT];
		expect((task.error as unknown as { context?: { itemIndex?: number } }).context?.itemIndex).toBe(1);
	});

	it('turns a failed item into { error: { message, errcode, outcomeUnknown } } under Continue On Fail and lets the others through', async () => {
		const result = await runAction(sandbox, byExpression, {
			items: draftItems(existing, 'no-such-draft', existing),
			settings: { onError: 'continueRegularOutput' },
		});
		expect(result.error).toBeUndefined();
		const done = result.reached(DONE);
		expect(done.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(done[1].json).toEqual({ error: { message: expect.stringContaining('WeChat error 40007'), errcode: 40007, outcomeUnknown: false } });
		expect(done[0].json.news_item).toBeDefined();
		expect(done[2].json.news_item).toBeDefined();
	});

	it('routes a failed item to the error output under "Continue (using error output)"', async () => {
		const result = await runAction(sandbox, byExpression, {
			items: draftItems('no-such-draft', existing),
			settings: { onError: 'continueErrorOutput' },
		});
		expect(result.error).toBeUndefined();
		expect(result.nodeOrder).toEqual([START, WECHAT, DONE, FAILED]);
		const [success, failure] = result.wechat;
		expect(success.map((item) => item.pairedItem)).toEqual([{ item: 1 }]);
		expect(failure).toEqual([
			{
				// n8n merges the input item's fields into an error-output item.
				json: { mediaId: 'no-such-draft', error: { message: expect.stringContaining('WeChat error 40007'), errcode: 40007, outcomeUnknown: false } },
				pairedItem: { item: 0 },
			},
		]);
		expect(result.reached(FAILED)).toHaveLength(1);
	});

	it('reads the draft of each item through getDraft with a literal id too', async () => {
		const result = await runAction(sandbox, getDraft(existing));
		expect(result.reached(DONE)).toEqual([expect.objectContaining({ pairedItem: { item: 0 } })]);
	});
});
