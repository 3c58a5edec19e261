import type { IDataObject } from 'n8n-workflow';

import { describeLengthRefusal } from '../../nodes/wechat/articleLimits';
import { WeChatSandbox } from '../sandbox';
import { runNode, runNodeError, uploadCover } from './action-harness';

// Title 64 and digest 120, the 公众号后台's limits that WeChat staff say the API follows; the
// draft/add page's 32 would refuse an ordinary Chinese headline.
const TITLE_40 = '微信公众号自动化发布：从Markdown草稿到群发通知，完整流程与十二个常见问题';

function create(articles: IDataObject[]): IDataObject {
	return { resource: 'draft', operation: 'create', articlesInput: 'fields', articles: { article: articles } };
}

describe('title and digest limits', () => {
	let sandbox: WeChatSandbox;
	let cover: string;

	beforeAll(async () => {
		sandbox = await WeChatSandbox.start();
		cover = await uploadCover(sandbox);
	});

	afterAll(async () => {
		await sandbox.close();
	});

	beforeEach(() => {
		sandbox.resetCounts();
		sandbox.clearFaults();
	});

	it('the 40-character headline is what it says', () => {
		expect(Array.from(TITLE_40)).toHaveLength(40);
	});

	it.each([
		['a 40-character Chinese title', { title: TITLE_40 }],
		['a 64-character title', { title: '标'.repeat(64) }],
		['a 120-character digest', { title: 'Digest', digest: '摘'.repeat(120) }],
	])('creates a draft with %s', async (_name, fields) => {
		const [item] = await runNode(sandbox, create([{ content: '<p>x</p>', thumb_media_id: cover, ...fields }]));
		const [draft] = await runNode(sandbox, { resource: 'draft', operation: 'get', mediaId: { __rl: true, mode: 'id', value: item.json.media_id } });
		const [article] = draft.json.news_item as IDataObject[];
		expect(article).toMatchObject(fields);
	});

	it('refuses a 65-character title before any call, naming the limit', async () => {
		const error = await runNodeError(sandbox, create([{ title: '标'.repeat(65), content: '<p>x</p>', thumb_media_id: cover }]));
		expect(error.message).toBe('Article 1: Title has 65 characters; WeChat allows at most 64 (draft/add would answer errcode 45003)');
		expect(sandbox.counts()).toEqual({});
	});

	it('the sandbox refuses what WeChat refuses: a 65-character title (45003), a 121-character digest (45004)', async () => {
		const post = async (article: IDataObject) => {
			const token = (await (await fetch(`${sandbox.url}/cgi-bin/stable_token`, {
				method: 'POST',
				body: JSON.stringify({ grant_type: 'client_credential', appid: sandbox.config.appId, secret: sandbox.config.appSecret }),
			})).json()) as { access_token: string };
			const answer = await fetch(`${sandbox.url}/cgi-bin/draft/add?access_token=${token.access_token}`, {
				method: 'POST',
				body: JSON.stringify({ articles: [{ content: '<p>x</p>', thumb_media_id: cover, ...article }] }),
			});
			return ((await answer.json()) as { errcode?: number }).errcode;
		};
		expect(await post({ title: '标'.repeat(65) })).toBe(45003);
		expect(await post({ title: 'T', digest: '摘'.repeat(121) })).toBe(45004);
		expect(await post({ title: '标'.repeat(64), digest: '摘'.repeat(120) })).toBeUndefined();
	});

	it('when WeChat still answers 45003, the error names the article, the field, its length and how far over 32 it is', async () => {
		sandbox.injectFault('/cgi-bin/draft/add', { errcode: 45003, errmsg: 'title size out of limit' });
		const error = await runNodeError(
			sandbox,
			create([
				{ title: 'Short', content: '<p>x</p>', thumb_media_id: cover },
				{ title: TITLE_40, content: '<p>y</p>', thumb_media_id: cover },
			]),
		);
		expect(error.message).toMatch(/^WeChat error 45003: Title too long \(title size out of limit/);
		expect(error.message).toContain(
			"WeChat refused the title as too long: article 2 has the longest, 40 characters, 8 over the 32 of WeChat's draft/add page (the node lets up to 64 through, the 公众号后台's limit). Shorten the title to 32 characters or fewer, then run the item again.",
		);
		expect(sandbox.count('/cgi-bin/draft/add')).toBe(1);
	});

	it('when draft/update answers 45004, the error names the updated article by its number', async () => {
		const [created] = await runNode(sandbox, create([{ title: 'A', content: '<p>a</p>', thumb_media_id: cover }, { title: 'B', content: '<p>b</p>', thumb_media_id: cover }]));
		sandbox.injectFault('/cgi-bin/draft/update', { errcode: 45004, errmsg: 'description size out of limit' });
		const error = await runNodeError(sandbox, {
			resource: 'draft',
			operation: 'update',
			mediaId: { __rl: true, mode: 'id', value: created.json.media_id },
			index: 1,
			updateFields: { digest: '摘'.repeat(100) },
		});
		expect(error.message).toContain(
			'WeChat refused the summary (digest) as too long: article 2 has the longest, 100 characters (the node lets up to 120 through).',
		);
		expect(sandbox.count('/cgi-bin/draft/update')).toBe(1);
	});

	it('adds nothing for other errcodes or when no article has the field', () => {
		expect(describeLengthRefusal(40007, [{ title: 'x' }])).toBeUndefined();
		expect(describeLengthRefusal(undefined, [{ title: 'x' }])).toBeUndefined();
		expect(describeLengthRefusal(45004, [{ title: 'x' }])).toBeUndefined();
		expect(describeLengthRefusal(45110, [{ author: '作者' }], 3)).toBe(
			'WeChat refused the author as too long: article 3 has the longest, 2 characters (the node lets up to 16 through). Shorten the author name, then run the item again.',
		);
	});
});
