/**
 * What keeps a write from reaching WeChat twice or being reported wrongly, driven through the node
 * against the sandbox: Retry On Fail refused for writes, bounded and cancellable Wait for Result,
 * successes without their ID, redirects, Publish → Delete's explicit article choice.
 */
import type { IDataObject } from 'n8n-workflow';

import { makePng } from '../fixtures/images';
import { WeChatSandbox } from '../sandbox';
import { MAX_WAIT_SECONDS, waitLimits } from '../../nodes/WeChatOfficialAccount/actions/publish/waitForResult';
import { binaryImage, createDrafts, publishedArticle, publishedDeletedFlags, runNode, runNodeError, uploadCover } from './action-harness';

const SUBMIT = '/cgi-bin/freepublish/submit';
const GET_STATUS = '/cgi-bin/freepublish/get';

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
	sandbox.configure({ publish: { status: 0, delayMs: 20 } });
	sandbox.resetCounts();
	sandbox.clearFaults();
});

function submit(mediaId: string, options: IDataObject = {}): IDataObject {
	return { resource: 'publish', operation: 'submit', mediaId: { __rl: true, mode: 'id', value: mediaId }, options };
}

/** Every API request the sandbox saw, token requests included. */
function totalRequests(): number {
	return Object.values(sandbox.counts()).reduce((sum, count) => sum + count, 0);
}

describe('Retry On Fail', () => {
	const retryOnFail = { node: { retryOnFail: true, maxTries: 3 } };
	const image = { binaryPropertyName: 'data' };
	const writes: Array<[string, IDataObject]> = [
		['Publish → Submit', { resource: 'publish', operation: 'submit', mediaId: 'any' }],
		['Publish → Delete', { resource: 'publish', operation: 'delete', articleId: 'any', deleteScope: 'one', articleNumber: 1 }],
		['Draft → Create', { resource: 'draft', operation: 'create', articlesInput: 'json', articlesJson: '[{"title":"T"}]' }],
		['Draft → Update', { resource: 'draft', operation: 'update', mediaId: 'any', index: 0, updateFields: { title: 'T' } }],
		['Draft → Delete', { resource: 'draft', operation: 'delete', mediaId: 'any' }],
		['Image → Upload Cover', { resource: 'image', operation: 'uploadCover', ...image }],
		['Image → Upload Content Image', { resource: 'image', operation: 'uploadContentImage', ...image }],
	];

	it.each(writes)('%s refuses to run, before any request, saying why and what to do', async (label, parameters) => {
		const error = await runNodeError(sandbox, parameters, {
			...retryOnFail,
			binary: [binaryImage(makePng(), 'a.png', 'image/png')],
		});
		expect(error.message).toBe(
			`${label} writes to WeChat, and this node has Retry On Fail on: n8n would run the whole node again after an error and send the write again (a second publish, a duplicate draft or upload). Nothing was sent.`,
		);
		expect(error.description).toMatch(/^Turn off Retry On Fail in the node's Settings\..*outcomeUnknown/);
		expect(totalRequests()).toBe(0);
	});

	it('under Continue On Fail every item becomes an error item, outcomeUnknown false, and nothing is sent', async () => {
		const items = await runNode(sandbox, submit('any'), {
			...retryOnFail,
			continueOnFail: true,
			items: [{ json: {} }, { json: {} }],
		});
		expect(items.map((item) => item.json)).toEqual([0, 1].map(() => ({
			error: { message: expect.stringContaining('Retry On Fail on'), errcode: null, outcomeUnknown: false },
		})));
		expect(totalRequests()).toBe(0);
	});

	it('reads keep working with it on', async () => {
		const [count] = await runNode(sandbox, { resource: 'draft', operation: 'count' }, retryOnFail);
		expect(count.json.total_count).toEqual(expect.any(Number));
		const [mediaId] = await createDrafts(sandbox, cover, ['Read back']);
		const [draft] = await runNode(sandbox, { resource: 'draft', operation: 'get', mediaId }, retryOnFail);
		expect(draft.json.news_item).toEqual([expect.objectContaining({ title: 'Read back' })]);
	});
});

describe('Wait for Result', () => {
	it.each([0, -5, 0.001])('poll interval %p counts as 1 s: a 2.5 s job is polled a few times, not busily', async (pollInterval) => {
		sandbox.configure({ publish: { status: 0, delayMs: 2500 } });
		const [mediaId] = await createDrafts(sandbox, cover, ['Polled']);
		const [item] = await runNode(sandbox, submit(mediaId, { waitForResult: true, pollInterval, waitTimeout: 30 }));
		expect(item.json).toMatchObject({ publish_status: 0, status: 'published' });
		expect(sandbox.count(SUBMIT)).toBe(1);
		// Polls at about 1, 2.2 and 3.6 s.
		expect(sandbox.count(GET_STATUS)).toBeGreaterThanOrEqual(2);
		expect(sandbox.count(GET_STATUS)).toBeLessThanOrEqual(3);
	}, 20_000);

	it('stops polling once the execution is cancelled, naming the publish_id; nothing is resubmitted', async () => {
		sandbox.configure({ publish: { status: 1 } });
		const [mediaId] = await createDrafts(sandbox, cover, ['Cancelled']);
		const cancel = new AbortController();
		const outcome = runNodeError(sandbox, submit(mediaId, { waitForResult: true, pollInterval: 1, waitTimeout: 600 }), {
			cancelSignal: cancel.signal,
		});
		// Cancelled while the first wait runs.
		await new Promise((resolve) => setTimeout(resolve, 300));
		cancel.abort();
		const error = await outcome;
		expect(error.message).toMatch(/^The execution was cancelled while waiting for publish_id \d+\. It was submitted once and will not be resubmitted/);
		expect(sandbox.count(SUBMIT)).toBe(1);
		expect(sandbox.count(GET_STATUS)).toBe(0);
	});
});

describe('successes that are not', () => {
	it.each([
		['submit without publish_id', SUBMIT, '{"errcode":0,"errmsg":"ok"}', /reported success for \/cgi-bin\/freepublish\/submit but sent no publish_id/],
		['submit with errcode "busy"', SUBMIT, '{"errcode":"busy","publish_id":"1"}', /holds an errcode that is not a number/],
		['draft/add without media_id', '/cgi-bin/draft/add', '{"errcode":0}', /sent no media_id/],
	])('%s: an error whose outcome is unknown, never "undefined" or NaN', async (_label, path, body, message) => {
		const [mediaId] = path === SUBMIT ? await createDrafts(sandbox, cover, ['Answered oddly']) : ['unused'];
		sandbox.injectFault(path, { httpStatus: 200, body });
		const parameters =
			path === SUBMIT
				? submit(mediaId)
				: { resource: 'draft', operation: 'create', articlesInput: 'json', articlesJson: '[{"title":"T","thumb_media_id":"COVER"}]' };
		const [item] = await runNode(sandbox, parameters, { continueOnFail: true });
		expect(item.json).toEqual({ error: { message: expect.stringMatching(message), errcode: null, outcomeUnknown: true } });
		expect((item.json.error as { message: string }).message).toMatch(/The outcome is unknown and the request was NOT resent/);
		expect(JSON.stringify(item.json)).not.toMatch(/undefined|NaN/);
		expect(sandbox.count(path)).toBe(1);
	});

	it('an upload without its url is an error, not url undefined', async () => {
		sandbox.injectFault('/cgi-bin/media/uploadimg', { httpStatus: 200, body: '{"errcode":0}' });
		const error = await runNodeError(sandbox, { resource: 'image', operation: 'uploadContentImage', binaryPropertyName: 'data' }, {
			binary: [binaryImage(makePng(), 'a.png', 'image/png')],
		});
		expect(error.message).toMatch(/sent no url\. The outcome is unknown/);
	});
});

describe('errors on the error output', () => {
	it('carry outcomeUnknown inside error, true for a write WeChat may have received', async () => {
		const [mediaId] = await createDrafts(sandbox, cover, ['Busy']);
		sandbox.injectFault(SUBMIT, { errcode: -1 });
		const [item] = await runNode(sandbox, submit(mediaId), { continueOnFail: true, node: { onError: 'continueErrorOutput' } });
		expect(item.json).toEqual({
			error: { message: expect.stringMatching(/^WeChat error -1: .*The outcome is unknown/), errcode: -1, outcomeUnknown: true },
		});
	});
});

describe('Publish → Delete', () => {
	const deletedFlags = async (articleId: string) => await publishedDeletedFlags(sandbox, articleId);

	it('without a choice deletes only the first article, never all', async () => {
		const articleId = await publishedArticle(sandbox, cover, ['One', 'Two']);
		const [deleted] = await runNode(sandbox, { resource: 'publish', operation: 'delete', articleId });
		expect(deleted.json).toEqual({ success: true, article_id: articleId, deleted: 1 });
		expect(await deletedFlags(articleId)).toEqual([true, false]);
	});

	it('All Articles deletes every article', async () => {
		const articleId = await publishedArticle(sandbox, cover, ['One', 'Two']);
		const [deleted] = await runNode(sandbox, { resource: 'publish', operation: 'delete', articleId, deleteScope: 'all' });
		expect(deleted.json).toEqual({ success: true, article_id: articleId, deleted: 'all' });
	});

	it.each([0, -1, 1.5, 'two'])('Article Number %p is refused before any call (0 would delete all)', async (articleNumber) => {
		const error = await runNodeError(sandbox, { resource: 'publish', operation: 'delete', articleId: 'a', deleteScope: 'one', articleNumber });
		expect(error.message).toMatch(/^Article Number must be a whole number from 1/);
		expect(sandbox.count('/cgi-bin/freepublish/delete')).toBe(0);
	});

	describe('node version 1 (saved before Delete and Article Number): its Article Index as it meant', () => {
		const version1 = { node: { typeVersion: 1 } };

		it('a saved index 3 deletes exactly article 3, with version 1\'s output', async () => {
			const articleId = await publishedArticle(sandbox, cover, ['One', 'Two', 'Three', 'Four']);
			const [deleted] = await runNode(sandbox, { resource: 'publish', operation: 'delete', articleId, index: 3 }, version1);
			expect(deleted.json).toEqual({ success: true, article_id: articleId, index: 3 });
			expect(await deletedFlags(articleId)).toEqual([false, false, true, false]);
		});

		it.each([
			['0', { index: 0 }],
			['absent (n8n omits a default when it saves)', {}],
		])('a saved index %s deletes every article, as version 1 said', async (_label, saved) => {
			const articleId = await publishedArticle(sandbox, cover, ['One', 'Two']);
			const [deleted] = await runNode(sandbox, { resource: 'publish', operation: 'delete', articleId, ...saved }, version1);
			expect(deleted.json).toEqual({ success: true, article_id: articleId, index: 0 });
			expect(await deletedFlags(articleId)).toEqual([true, true]);
		});

		it('ignores Delete and Article Number, which version 1 never had', async () => {
			const articleId = await publishedArticle(sandbox, cover, ['One', 'Two']);
			const parameters = { resource: 'publish', operation: 'delete', articleId, index: 2, deleteScope: 'one', articleNumber: 1 };
			await runNode(sandbox, parameters, version1);
			expect(await deletedFlags(articleId)).toEqual([false, true]);
		});

		it.each([-1, 1.5, 'two'])('Article Index %p is refused before any call', async (index) => {
			const error = await runNodeError(sandbox, { resource: 'publish', operation: 'delete', articleId: 'a', index }, version1);
			expect(error.message).toMatch(/^Article Index must be a whole number from 0/);
			expect(sandbox.count('/cgi-bin/freepublish/delete')).toBe(0);
		});
	});
});

describe('waitLimits', () => {
	it.each([
		[{}, 5, 600],
		[{ pollInterval: 0, waitTimeout: 0 }, 1, 0],
		[{ pollInterval: -3, waitTimeout: -3 }, 1, 0],
		[{ pollInterval: 'abc', waitTimeout: 'x' }, 5, 600],
		[{ pollInterval: '2', waitTimeout: '90' }, 2, 90],
		[{ pollInterval: 10, waitTimeout: 86_400 }, 10, MAX_WAIT_SECONDS],
		[{ pollInterval: Infinity, waitTimeout: NaN }, 5, 600],
	])('%j → poll every %p s, wait at most %p s', (options, pollIntervalSeconds, timeoutSeconds) => {
		expect(waitLimits(options)).toEqual({ pollIntervalSeconds, timeoutSeconds });
	});
});
