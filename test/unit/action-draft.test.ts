import type { IDataObject } from 'n8n-workflow';

import { createHttpRequest, type SentRequest } from '../helpers/httpRequest';
import { WeChatSandbox } from '../sandbox';
import { createDrafts, runNode, runNodeError, uploadCover } from './action-harness';

function draftParameters(operation: string, extra: IDataObject = {}): IDataObject {
	return { resource: 'draft', operation, ...extra };
}

function byId(mediaId: string): IDataObject {
	return { __rl: true, mode: 'id', value: mediaId };
}

describe('WeChat Official Account node: Draft', () => {
	let sandbox: WeChatSandbox;
	let cover: string;

	beforeAll(async () => {
		sandbox = await WeChatSandbox.start();
		cover = await uploadCover(sandbox);
	});

	afterAll(async () => {
		await sandbox.close();
	});

	beforeEach(() => sandbox.resetCounts());

	async function getDraft(mediaId: string): Promise<IDataObject[]> {
		const [item] = await runNode(sandbox, draftParameters('get', { mediaId: byId(mediaId) }));
		expect(item.json.media_id).toBe(mediaId);
		return item.json.news_item as IDataObject[];
	}

	it('creates a draft of two articles from the fields, comment switches sent as 0/1', async () => {
		const sent: SentRequest[] = [];
		// What WeChat must receive for the first article: the switches as 0/1.
		const weChatArticle = {
			title: 'Spring launch',
			author: 'Team',
			digest: 'What is new',
			content: '<p>Hello <b>world</b></p>',
			content_source_url: 'https://example.com/launch',
			thumb_media_id: cover,
			need_open_comment: 1,
			only_fans_can_comment: 0,
		};
		const [item] = await runNode(
			sandbox,
			draftParameters('create', {
				articlesInput: 'fields',
				articles: {
					article: [
						{ ...weChatArticle, need_open_comment: true, only_fans_can_comment: false },
						{ title: 'Second', content: '<p>Two</p>', thumb_media_id: cover, author: '' },
					],
				},
			}),
			{ httpRequest: createHttpRequest(sent) },
		);
		const add = sent.find((request) => request.url.includes('/cgi-bin/draft/add'));
		// The HTML arrives prepared for WeChat: the same text, styled inline.
		const prepared = (inner: RegExp) => expect.stringMatching(new RegExp(`^<section style="[^"]+">${inner.source}</section>$`));
		const preparedFirst = { ...weChatArticle, content: prepared(/<p style="[^"]+">Hello <b style="[^"]+">world<\/b><\/p>/) };
		expect(JSON.parse(add!.body!.toString('utf8'))).toEqual({
			articles: [
				preparedFirst,
				{ title: 'Second', content: prepared(/<p style="[^"]+">Two<\/p>/), thumb_media_id: cover },
			],
		});
		expect(item.json).toEqual({ media_id: expect.any(String), images: [], thumb_media_id: cover, filledFrom: [], warnings: [] });
		const articles = await getDraft(item.json.media_id as string);
		expect(articles).toHaveLength(2);
		expect(articles[0]).toMatchObject(preparedFirst);
		// Empty fields were left out, so WeChat filled the summary from the content.
		expect(articles[1]).toMatchObject({ title: 'Second', digest: 'Two', author: '' });
		expect(sandbox.count('/cgi-bin/draft/add')).toBe(1);
	});

	it('creates a draft from a JSON array, or from one JSON object', async () => {
		const json = JSON.stringify([
			{ title: 'From JSON 1', content: '<p>a</p>', thumb_media_id: cover, need_open_comment: 1 },
			{ title: 'From JSON 2', content: '<p>b</p>', thumb_media_id: cover },
		]);
		const [array] = await runNode(sandbox, draftParameters('create', { articlesInput: 'json', articlesJson: json }));
		expect((await getDraft(array.json.media_id as string)).map((article) => article.title)).toEqual([
			'From JSON 1',
			'From JSON 2',
		]);

		const [single] = await runNode(
			sandbox,
			draftParameters('create', {
				articlesInput: 'json',
				articlesJson: { title: 'Single', content: '<p>c</p>', thumb_media_id: cover },
			}),
		);
		expect((await getDraft(single.json.media_id as string))[0].title).toBe('Single');
	});

	it.each([
		['not JSON', '[{"title": ', 'Articles (JSON) is not valid JSON'],
		['not objects', '["a", "b"]', 'Articles (JSON) must be an array of objects'],
		['empty', '[]', 'No article given'],
		['nine articles', JSON.stringify(new Array(9).fill({ title: 't', content: 'c' })), 'A draft holds at most 8 articles; 9 given (draft/add would answer errcode 45008)'],
		['an untitled second article', '[{"title": "a", "content": "c", "thumb_media_id": "m"}, {"content": "c"}]', 'Article 2 has no title'],
	])('refuses articles that are %s before calling WeChat', async (_case, articlesJson, message) => {
		const error = await runNodeError(sandbox, draftParameters('create', { articlesInput: 'json', articlesJson }));
		expect(error.message).toBe(message);
		expect(error.context?.itemIndex).toBe(0);
		expect(sandbox.count('/cgi-bin/draft/add')).toBe(0);
	});

	it('asks for an article when the fields hold none', async () => {
		const error = await runNodeError(sandbox, draftParameters('create', { articlesInput: 'fields', articles: {} }));
		expect(error.message).toBe('No article given');
		expect(error.description).toBe('Add an article under Articles, or set Articles Input to JSON');
		expect(sandbox.count('/cgi-bin/draft/add')).toBe(0);
	});

	it("passes WeChat's refusal on with its errcode, meaning and item index", async () => {
		const error = await runNodeError(
			sandbox,
			[
				draftParameters('create', { articlesInput: 'json', articlesJson: [{ title: 'ok', content: 'c', thumb_media_id: cover }] }),
				draftParameters('create', { articlesInput: 'json', articlesJson: [{ title: 'bad cover', content: 'c', thumb_media_id: 'nope' }] }),
			],
			{ items: [{ json: {} }, { json: {} }] },
		);
		expect(error.message).toMatch(/^WeChat error 40007: Invalid media_id/);
		expect(error.context?.itemIndex).toBe(1);
		expect(sandbox.count('/cgi-bin/draft/add')).toBe(2);
	});

	it('updates the given fields of one article and keeps the others', async () => {
		const [mediaId] = await createDrafts(sandbox, cover, ['Original']);
		const [item] = await runNode(
			sandbox,
			draftParameters('update', {
				mediaId: byId(mediaId),
				index: 0,
				updateFields: { title: 'Renamed', need_open_comment: true },
			}),
		);
		expect(item.json).toEqual({ success: true, media_id: mediaId, index: 0, images: [], thumb_media_id: cover, filledFrom: [], warnings: [] });
		const [article] = await getDraft(mediaId);
		expect(article).toMatchObject({
			title: 'Renamed',
			content: expect.stringMatching(/>Original<\/p>/),
			thumb_media_id: cover,
			need_open_comment: 1,
		});
	});

	it('refuses an update with no field, or of an article the draft does not have', async () => {
		const [mediaId] = await createDrafts(sandbox, cover, ['One article']);
		const noField = await runNodeError(
			sandbox,
			draftParameters('update', { mediaId: byId(mediaId), index: 0, updateFields: {} }),
		);
		expect(noField.message).toBe('No field to update');

		const outOfRange = await runNodeError(
			sandbox,
			draftParameters('update', { mediaId: byId(mediaId), index: 3, updateFields: { title: 'x' } }),
		);
		expect(outOfRange.message).toBe('The draft has no article at index 3');
		expect(outOfRange.description).toBe('It has 1 article(s); the first is at index 0');
		expect(sandbox.count('/cgi-bin/draft/update')).toBe(0);
	});

	it('deletes a draft once; it is gone afterwards', async () => {
		const [mediaId] = await createDrafts(sandbox, cover, ['To delete']);
		const [item] = await runNode(sandbox, draftParameters('delete', { mediaId: byId(mediaId) }));
		expect(item.json).toEqual({ success: true, media_id: mediaId });
		expect(sandbox.count('/cgi-bin/draft/delete')).toBe(1);

		const error = await runNodeError(sandbox, draftParameters('get', { mediaId: byId(mediaId) }));
		expect(error.message).toMatch(/^WeChat error 40007/);
	});

	it('takes the draft as a plain string, a list pick or an ID, and refuses an empty one', async () => {
		const [mediaId] = await createDrafts(sandbox, cover, ['Locator']);
		for (const mediaIdParameter of [mediaId, ` ${mediaId} `, { __rl: true, mode: 'list', value: mediaId }]) {
			const [item] = await runNode(sandbox, draftParameters('get', { mediaId: mediaIdParameter }));
			expect(item.json.media_id).toBe(mediaId);
		}
		const error = await runNodeError(sandbox, draftParameters('get', { mediaId: { __rl: true, mode: 'id', value: '' } }));
		expect(error.message).toBe('No draft given');
	});

	it('counts and lists drafts 20 at a time: Return All, Limit, Without Content', async () => {
		const [count] = await runNode(sandbox, draftParameters('count'));
		const before = count.json.total_count as number;
		await createDrafts(sandbox, cover, Array.from({ length: 23 }, (_, n) => `Bulk ${n}`));
		const [after] = await runNode(sandbox, draftParameters('count'));
		expect(after.json).toEqual({ total_count: before + 23 });

		sandbox.resetCounts();
		const all = await runNode(sandbox, draftParameters('getMany', { returnAll: true }));
		expect(all).toHaveLength(before + 23);
		expect(new Set(all.map((item) => item.json.media_id)).size).toBe(before + 23);
		expect(all.every((item) => JSON.stringify(item.pairedItem) === '{"item":0}')).toBe(true);
		expect(sandbox.count('/cgi-bin/draft/batchget')).toBe(Math.ceil((before + 23) / 20));
		// Newest first.
		expect(((all[0].json.content as IDataObject).news_item as IDataObject[])[0].title).toBe('Bulk 22');

		const limited = await runNode(sandbox, draftParameters('getMany', { returnAll: false, limit: 3 }));
		expect(limited).toHaveLength(3);

		const bare = await runNode(
			sandbox,
			draftParameters('getMany', { returnAll: false, limit: 25, options: { noContent: true } }),
		);
		expect(bare).toHaveLength(25);
		const article = ((bare[0].json.content as IDataObject).news_item as IDataObject[])[0];
		expect(article.title).toBe('Bulk 22');
		expect(article).not.toHaveProperty('content');
	});
});
