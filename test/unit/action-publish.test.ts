import type { IDataObject } from 'n8n-workflow';

import { makeJpeg, makePng } from '../fixtures/images';
import { FAIL_CHECK_MARK, WeChatSandbox } from '../sandbox';
import { binaryImage, createDrafts, runNode, runNodeError, submitAndWait, uploadCover } from './action-harness';

function publishParameters(operation: string, extra: IDataObject = {}): IDataObject {
	return { resource: 'publish', operation, ...extra };
}

describe('WeChat Official Account node: Publish', () => {
	let sandbox: WeChatSandbox;
	let cover: string;

	beforeAll(async () => {
		sandbox = await WeChatSandbox.start({ publish: { status: 0, delayMs: 50 } });
		cover = await uploadCover(sandbox);
	});

	afterAll(async () => {
		await sandbox.close();
	});

	beforeEach(() => {
		sandbox.resetCounts();
		sandbox.configure({ canPublish: true, publish: { status: 0, failIdx: undefined, delayMs: 50 } });
	});

	it('runs the chain upload cover → content image → create draft → submit and wait: published, with the article URL', async () => {
		const [coverItem] = await runNode(
			sandbox,
			{ resource: 'image', operation: 'uploadCover', binaryPropertyName: 'data' },
			{ binary: [binaryImage(makePng(), 'cover.png', 'image/png')] },
		);
		const [imageItem] = await runNode(
			sandbox,
			{ resource: 'image', operation: 'uploadContentImage', binaryPropertyName: 'data' },
			{ binary: [binaryImage(makeJpeg(), 'inline.jpg', 'image/jpeg')] },
		);
		const content = `<p>Hello</p><img src="${imageItem.json.url as string}">`;
		const [draft] = await runNode(sandbox, {
			resource: 'draft',
			operation: 'create',
			articlesInput: 'fields',
			articles: { article: [{ title: 'Chain article', content, thumb_media_id: coverItem.json.media_id }] },
		});
		const mediaId = draft.json.media_id as string;

		const [published] = await runNode(sandbox, submitAndWait(mediaId));
		expect(published.json).toMatchObject({
			publish_id: expect.stringMatching(/^\d+$/),
			msg_data_id: expect.stringMatching(/^\d+$/),
			media_id: mediaId,
			publish_status: 0,
			status: 'published',
			article_id: expect.any(String),
			article_detail: { count: 1, item: [{ idx: 1, article_url: expect.any(String) }] },
			fail_idx: [],
		});
		const url = ((published.json.article_detail as IDataObject).item as IDataObject[])[0].article_url as string;
		const page = await fetch(url);
		expect(page.status).toBe(200);
		const html = await page.text();
		expect(html).toContain('Chain article');
		expect(html).toContain(imageItem.json.url as string);
		expect(sandbox.count('/cgi-bin/freepublish/submit')).toBe(1);
		expect(sandbox.count('/cgi-bin/freepublish/get')).toBeGreaterThanOrEqual(1);
	});

	it('without Wait for Result outputs publish_id, msg_data_id and media_id at once; Get Status reads the result later', async () => {
		const [mediaId] = await createDrafts(sandbox, cover, ['No wait']);
		// Long enough that the first Get Status still finds the job running on a loaded machine.
		sandbox.configure({ publish: { delayMs: 2000 } });
		const [submitted] = await runNode(sandbox, publishParameters('submit', { mediaId }));
		expect(Object.keys(submitted.json)).toEqual(['publish_id', 'msg_data_id', 'media_id']);
		expect(sandbox.count('/cgi-bin/freepublish/get')).toBe(0);

		const publishId = submitted.json.publish_id as string;
		const [early] = await runNode(sandbox, publishParameters('get', { publishId }));
		expect(early.json).toMatchObject({ publish_id: publishId, publish_status: 1, status: 'publishing', fail_idx: [] });
		expect(early.json.article_detail).toEqual({ count: 0, item: [] });

		await sandbox.idle();
		const [done] = await runNode(sandbox, publishParameters('get', { publishId }));
		expect(done.json).toMatchObject({ publish_id: publishId, publish_status: 0, status: 'published' });
		expect((done.json.article_detail as IDataObject).count).toBe(1);
	});

	it('keeps a publish_id beyond 2^53 exact', async () => {
		// Later jobs number on from here, so no publish_id is issued twice.
		sandbox.configure({ publishIdStart: '9007199254740993' });
		const [mediaId] = await createDrafts(sandbox, cover, ['Big id']);
		const [item] = await runNode(sandbox, submitAndWait(mediaId));
		expect(item.json.publish_id).toBe('9007199254740993');
		const [status] = await runNode(sandbox, publishParameters('get', { publishId: '9007199254740993' }));
		expect(status.json.publish_id).toBe('9007199254740993');
	});

	it('reports an originality check failure (status 2) with the failing articles', async () => {
		sandbox.configure({ publish: { status: 2, failIdx: [1, 2] } });
		const [mediaId] = await runNode(sandbox, {
			resource: 'draft',
			operation: 'create',
			articlesInput: 'json',
			articlesJson: [1, 2, 3].map((n) => ({ title: `Copied ${n}`, content: '<p>x</p>', thumb_media_id: cover })),
		}).then((items) => items.map((item) => item.json.media_id as string));
		const [item] = await runNode(sandbox, submitAndWait(mediaId));
		expect(item.json).toMatchObject({
			publish_status: 2,
			status: 'originality_check_failed',
			fail_idx: [1, 2],
			article_detail: { count: 0, item: [] },
		});
	});

	it('reports a platform review rejection (status 4)', async () => {
		sandbox.configure({ publish: { status: 4 } });
		const [mediaId] = await createDrafts(sandbox, cover, ['Rejected']);
		const [item] = await runNode(sandbox, submitAndWait(mediaId));
		expect(item.json).toMatchObject({ publish_status: 4, status: 'audit_rejected', fail_idx: [1] });
	});

	it('explains 48001 on an account that may not publish, naming the item', async () => {
		sandbox.configure({ canPublish: false });
		const [mediaId] = await createDrafts(sandbox, cover, ['Unverified']);
		const error = await runNodeError(sandbox, submitAndWait(mediaId));
		expect(error.message).toMatch(/^WeChat error 48001: API not authorised for this account/);
		expect(error.message).toContain('Drafts work on every account; publishing through the API (every Publish operation, since July 2025), mass sending (群发) and preview need a verified account whose subject is not an individual (个人主体)');
		expect(error.message).toContain('by hand from 草稿箱');
		expect(error.context?.itemIndex).toBe(0);
		expect(sandbox.count('/cgi-bin/freepublish/submit')).toBe(1);
		expect(sandbox.count('/cgi-bin/freepublish/get')).toBe(0);
	});

	it('explains 53503 for a draft that fails the pre-publish check', async () => {
		const [marked, titled] = await createDrafts(sandbox, cover, ['Fine title', `Bad ${FAIL_CHECK_MARK}`]);
		sandbox.markDraftFailsCheck(marked);
		for (const mediaId of [marked, titled]) {
			const error = await runNodeError(sandbox, publishParameters('submit', { mediaId }));
			expect(error.message).toMatch(/^WeChat error 53503: The draft failed the pre-publish check/);
			expect(error.message).toContain('Fix the draft');
		}
	});

	it('stops waiting after the timeout with an error naming the publish_id; the job is not resubmitted', async () => {
		sandbox.configure({ publish: { status: 1 } });
		const [mediaId] = await createDrafts(sandbox, cover, ['Slow']);
		const error = await runNodeError(sandbox, submitAndWait(mediaId, 1.5));
		const publishId = /publish_id (\d+)/.exec(error.message)?.[1];
		expect(publishId).toBeDefined();
		expect(error.message).toBe(
			`WeChat is still publishing publish_id ${publishId} after 1.5 s. It was submitted once and will not be resubmitted: check the result later with Publish → Get Status and this publish_id, or receive it with the WeChat Official Account Trigger.`,
		);
		expect(error.context?.itemIndex).toBe(0);
		expect(sandbox.count('/cgi-bin/freepublish/submit')).toBe(1);
		expect(sandbox.count('/cgi-bin/freepublish/get')).toBeGreaterThanOrEqual(2);
	});

	it('with Continue On Fail, a timeout item still carries the publish_id and the next item goes on', async () => {
		sandbox.configure({ publish: { status: 1 } });
		const [slow, failing] = await createDrafts(sandbox, cover, ['Slow again', `Fails ${FAIL_CHECK_MARK}`]);
		const items = await runNode(sandbox, [submitAndWait(slow, 0.1), submitAndWait(failing, 0.1)], {
			items: [{ json: {} }, { json: {} }],
			continueOnFail: true,
		});
		expect(items).toHaveLength(2);
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(items[0].json).toEqual({
			error: {
				message: expect.stringContaining('WeChat is still publishing publish_id'),
				errcode: null,
				outcomeUnknown: false,
				publish_id: expect.stringMatching(/^\d+$/),
				msg_data_id: expect.stringMatching(/^\d+$/),
				media_id: slow,
			},
		});
		expect(items[1].pairedItem).toEqual({ item: 1 });
		expect(items[1].json).toEqual({
			error: {
				message: expect.stringMatching(/^WeChat error 53503: The draft failed the pre-publish check/),
				errcode: 53503,
				outcomeUnknown: false,
			},
		});
	});

	it('lists, reads and deletes published articles', async () => {
		const [first, second] = await runNode(
			sandbox,
			[
				{
					resource: 'draft',
					operation: 'create',
					articlesInput: 'json',
					articlesJson: [
						{ title: 'Pub A1', content: '<p>a1</p>', thumb_media_id: cover },
						{ title: 'Pub A2', content: '<p>a2</p>', thumb_media_id: cover },
					],
				},
				{
					resource: 'draft',
					operation: 'create',
					articlesInput: 'json',
					articlesJson: [{ title: 'Pub B', content: '<p>b</p>', thumb_media_id: cover }],
				},
			],
			{ items: [{ json: {} }, { json: {} }] },
		).then((items) => items.map((item) => item.json.media_id as string));
		const results = await runNode(sandbox, [submitAndWait(first), submitAndWait(second)], {
			items: [{ json: {} }, { json: {} }],
		});
		const [articleA, articleB] = results.map((item) => item.json.article_id as string);

		const listed = await runNode(sandbox, publishParameters('getMany', { returnAll: true }));
		const ids = listed.map((item) => item.json.article_id);
		expect(ids).toEqual(expect.arrayContaining([articleA, articleB]));

		const [article] = await runNode(sandbox, publishParameters('getArticle', { articleId: articleA }));
		expect(article.json.article_id).toBe(articleA);
		expect((article.json.news_item as IDataObject[]).map((item) => item.title)).toEqual(['Pub A1', 'Pub A2']);

		const [deleted] = await runNode(sandbox, publishParameters('delete', { articleId: articleA, articleNumber: 2 }));
		expect(deleted.json).toEqual({ success: true, article_id: articleA, deleted: 2 });
		const [after] = await runNode(sandbox, publishParameters('getArticle', { articleId: articleA }));
		expect((after.json.news_item as IDataObject[]).map((item) => item.is_deleted)).toEqual([false, true]);

		await runNode(sandbox, publishParameters('delete', { articleId: articleB, index: 0 }));
		const remaining = await runNode(sandbox, publishParameters('getMany', { returnAll: false, limit: 50 }));
		expect(remaining.map((item) => item.json.article_id)).not.toContain(articleB);
		expect(sandbox.count('/cgi-bin/freepublish/delete')).toBe(2);

		const missing = await runNodeError(sandbox, publishParameters('getArticle', { articleId: 'no-such-article' }));
		expect(missing.message).toMatch(/^WeChat error 53600: Invalid article_id/);
	});

	it('refuses an empty publish_id or article_id before calling WeChat', async () => {
		const noPublishId = await runNodeError(sandbox, publishParameters('get', { publishId: ' ' }));
		expect(noPublishId.message).toBe('The parameter "publishId" is empty');
		const noArticleId = await runNodeError(sandbox, publishParameters('delete', { articleId: '', index: 0 }));
		expect(noArticleId.message).toBe('The parameter "articleId" is empty');
		expect(sandbox.count('/cgi-bin/freepublish/get') + sandbox.count('/cgi-bin/freepublish/delete')).toBe(0);
	});
});
