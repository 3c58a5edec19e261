import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { createHttpRequest } from '../helpers/httpRequest';
import { WeChatSandbox } from '../sandbox';
import { createDrafts, runNode, runNodeError, uploadCover } from './action-harness';

const SUBMIT = '/cgi-bin/freepublish/submit';

function submit(mediaId: string): IDataObject {
	return { resource: 'publish', operation: 'submit', mediaId: { __rl: true, mode: 'list', value: mediaId } };
}

/** The real httpRequest helper, with `before` run just ahead of the n-th request to `path`. */
function onNthRequest(path: string, n: number, before: () => void) {
	const send = createHttpRequest();
	let seen = 0;
	return async (options: IHttpRequestOptions) => {
		if (new URL(options.url).pathname === path && ++seen === n) before();
		return await send(options);
	};
}

/** Everything an error shows: message, description, context. */
function visibleText(error: Error & { description?: string; context?: IDataObject }): string {
	return JSON.stringify({ message: error.message, description: error.description, context: error.context });
}

describe('WeChat Official Account node: faults', () => {
	let sandbox: WeChatSandbox;
	let cover: string;

	beforeAll(async () => {
		sandbox = await WeChatSandbox.start({ publish: { status: 0, delayMs: 20 } });
		cover = await uploadCover(sandbox);
	});

	afterAll(async () => {
		await sandbox.close();
	});

	beforeEach(() => {
		sandbox.resetCounts();
		sandbox.clearFaults();
	});

	it('token expired in the middle of 20 submits: one refresh, 20 publish_ids, 20 jobs', async () => {
		const drafts = await createDrafts(sandbox, cover, Array.from({ length: 20 }, (_, n) => `Batch ${n}`));
		const tokensBefore = sandbox.stats.issuedTokens.stable;
		const submitsBefore = sandbox.stats.submits;
		sandbox.resetCounts();

		const items = await runNode(sandbox, drafts.map(submit), {
			items: drafts.map(() => ({ json: {} })),
			httpRequest: onNthRequest(SUBMIT, 11, () => sandbox.expireTokens()),
		});

		expect(items).toHaveLength(20);
		expect(items.map((item) => item.pairedItem)).toEqual(drafts.map((_, item) => ({ item })));
		expect(items.map((item) => item.json.media_id)).toEqual(drafts);
		const publishIds = items.map((item) => item.json.publish_id);
		expect(publishIds.every((id) => typeof id === 'string' && /^\d+$/.test(id))).toBe(true);
		expect(new Set(publishIds).size).toBe(20);
		expect(sandbox.stats.issuedTokens.stable).toBe(tokensBefore + 1);
		expect(sandbox.stats.submits).toBe(submitsBefore + 20);
		// The eleventh submit was refused for its token (42001) and sent again once with the new one.
		expect(sandbox.count(SUBMIT)).toBe(21);
		expect(sandbox.count('/cgi-bin/stable_token')).toBe(1);
	});

	it('connection reset on submit: an error for that item, sent once, never again', async () => {
		const [mediaId] = await createDrafts(sandbox, cover, ['Reset']);
		const submitsBefore = sandbox.stats.submits;
		sandbox.injectFault(SUBMIT, { reset: true });

		const error = await runNodeError(sandbox, submit(mediaId));
		expect(error.message).toMatch(/^The connection to 127\.0\.0\.1:\d+ failed during \/cgi-bin\/freepublish\/submit/);
		expect(error.message).toContain('The outcome is unknown and the request was NOT resent');
		expect(error.context?.itemIndex).toBe(0);
		expect(sandbox.count(SUBMIT)).toBe(1);
		expect(sandbox.stats.submits).toBe(submitsBefore);
		const text = visibleText(error);
		expect(text).not.toContain(sandbox.config.appSecret);
		expect(text).not.toMatch(/access_token=(?!\*\*\*)/);
	});

	it('with Continue On Fail, a reset on the second of three submits leaves the other two published', async () => {
		const drafts = await createDrafts(sandbox, cover, ['Keep 1', 'Lost 2', 'Keep 3']);
		const submitsBefore = sandbox.stats.submits;
		const items = await runNode(sandbox, drafts.map(submit), {
			items: drafts.map(() => ({ json: {} })),
			continueOnFail: true,
			httpRequest: onNthRequest(SUBMIT, 2, () => sandbox.injectFault(SUBMIT, { reset: true })),
		});

		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[0].json.publish_id).toMatch(/^\d+$/);
		expect(items[1].json).toEqual({
			error: { message: expect.stringContaining('The outcome is unknown and the request was NOT resent'), errcode: null, outcomeUnknown: true },
		});
		expect(items[2].json.publish_id).toMatch(/^\d+$/);
		expect(sandbox.count(SUBMIT)).toBe(3);
		expect(sandbox.stats.submits).toBe(submitsBefore + 2);
	});

	it('without Continue On Fail, the error for a failed submit names the items already submitted', async () => {
		const drafts = await createDrafts(sandbox, cover, ['Done 1', 'Done 2', 'Refused 3']);
		sandbox.markDraftFailsCheck(drafts[2]);
		const error = await runNodeError(sandbox, drafts.map(submit), {
			items: drafts.map(() => ({ json: {} })),
		});

		expect(error.message).toContain('53503');
		expect(error.context?.itemIndex).toBe(2);
		const jobs = sandbox.snapshot().jobs as Array<{ publish_id: string; media_id: string }>;
		const done = drafts.slice(0, 2).map((mediaId) => jobs.find((job) => job.media_id === mediaId));
		expect(error.description).toContain(
			`item 0 (publish_id ${done[0]?.publish_id}, media_id ${drafts[0]}); ` +
				`item 1 (publish_id ${done[1]?.publish_id}, media_id ${drafts[1]})`,
		);
		expect(error.description).not.toContain('item 2 (');
	});

	it('an HTTP 502 or system busy (-1) on submit is not resent either', async () => {
		const [first, second] = await createDrafts(sandbox, cover, ['Bad gateway', 'Busy']);
		sandbox.injectFault(SUBMIT, { httpStatus: 502 });
		const gateway = await runNodeError(sandbox, submit(first));
		expect(gateway.message).toMatch(/^WeChat \(127\.0\.0\.1:\d+\) answered HTTP 502 to \/cgi-bin\/freepublish\/submit/);
		expect(sandbox.count(SUBMIT)).toBe(1);

		sandbox.injectFault(SUBMIT, { errcode: -1 });
		const busy = await runNodeError(sandbox, submit(second));
		expect(busy.message).toMatch(/^WeChat error -1: WeChat system busy/);
		expect(busy.message).toContain('The outcome is unknown and the request was NOT resent');
		expect(sandbox.count(SUBMIT)).toBe(2);
	});

	it('draft create and delete are not repeated after a reset', async () => {
		sandbox.injectFault('/cgi-bin/draft/add', { reset: true });
		const create = await runNodeError(sandbox, {
			resource: 'draft',
			operation: 'create',
			articlesInput: 'json',
			articlesJson: [{ title: 'Once', content: '<p>x</p>', thumb_media_id: cover }],
		});
		expect(create.message).toContain('NOT resent');
		expect(sandbox.count('/cgi-bin/draft/add')).toBe(1);

		const [mediaId] = await createDrafts(sandbox, cover, ['Delete once']);
		sandbox.injectFault('/cgi-bin/draft/delete', { reset: true });
		const remove = await runNodeError(sandbox, { resource: 'draft', operation: 'delete', mediaId });
		expect(remove.message).toContain('NOT resent');
		expect(sandbox.count('/cgi-bin/draft/delete')).toBe(1);
	});

	it('a read (Get Status) is retried after system busy and succeeds', async () => {
		const [mediaId] = await createDrafts(sandbox, cover, ['Read retry']);
		const [submitted] = await runNode(sandbox, submit(mediaId));
		sandbox.injectFault('/cgi-bin/freepublish/get', { errcode: -1 });
		const [status] = await runNode(sandbox, {
			resource: 'publish',
			operation: 'get',
			publishId: submitted.json.publish_id,
		});
		expect(status.json.publish_id).toBe(submitted.json.publish_id);
		expect(sandbox.count('/cgi-bin/freepublish/get')).toBe(2);
	});

	// The same item on the regular output (Continue) and the Error output: all inside `error`,
	// the one shape n8n 1.x and 2.x both route to the Error output.
	it.each(['continueRegularOutput', 'continueErrorOutput'] as const)(
		'a failed status check while waiting keeps the publish_id and does not resubmit (%s)',
		async (onError) => {
			const [mediaId] = await createDrafts(sandbox, cover, [`Check fails ${onError.slice(8, 11)}`]);
			sandbox.injectFault('/cgi-bin/freepublish/get', { errcode: 53502 });
			const [item] = await runNode(
				sandbox,
				{ ...submit(mediaId), options: { waitForResult: true, pollInterval: 0.01, waitTimeout: 5 } },
				{ continueOnFail: true, node: { onError } },
			);
			expect(item.json).toEqual({
				error: {
					message: expect.stringMatching(/^WeChat accepted publish_id \d+, but checking its status failed: WeChat error 53502/),
					errcode: 53502,
					outcomeUnknown: false,
					publish_id: expect.stringMatching(/^\d+$/),
					msg_data_id: expect.stringMatching(/^\d+$/),
					media_id: mediaId,
				},
			});
			expect((item.json.error as { message: string }).message).toContain('do not submit the draft again');
			expect(item.error).toBeUndefined();
			expect(sandbox.count(SUBMIT)).toBe(1);
		},
	);
});
