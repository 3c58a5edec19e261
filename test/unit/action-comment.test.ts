import type { IDataObject } from 'n8n-workflow';

import { WeChatSandbox } from '../sandbox';
import { runNode, runNodeError } from './action-harness';
import { engagementControl, publishTwoArticles } from './engagement-harness';

const COMMENT_PATHS = ['open', 'close', 'list', 'markelect', 'unmarkelect', 'delete', 'reply/add', 'reply/delete'].map(
	(name) => `/cgi-bin/comment/${name}`,
);

describe('WeChat Official Account node: Comment', () => {
	let sandbox: WeChatSandbox;
	let msgDataId: string;
	let ids: string[];
	const onArticle2 = (operation: string, extra: IDataObject = {}): IDataObject => ({
		resource: 'comment',
		operation,
		msgDataId,
		articleNumber: 2,
		...extra,
	});
	const commentRequests = () => COMMENT_PATHS.reduce((total, path) => total + sandbox.count(path), 0);

	beforeAll(async () => {
		sandbox = await WeChatSandbox.start({ publish: { status: 0, delayMs: 20 } });
		msgDataId = await publishTwoArticles(sandbox, 'Comments');
		const comments = Array.from({ length: 120 }, (_value, index) => ({ content: `Reader comment ${index + 1}` }));
		({ user_comment_ids: ids } = engagementControl(sandbox, 'comments', { msg_data_id: msgDataId, articleNumber: 2, comments }) as {
			user_comment_ids: string[];
		});
	});

	afterAll(async () => {
		await sandbox.close();
	});

	beforeEach(() => {
		sandbox.resetCounts();
		engagementControl(sandbox, 'settings', { commentPermission: true });
	});

	it('getMany with Return All reads every comment in pages under 50: one item per comment, the article named as the node names it', async () => {
		const items = await runNode(sandbox, onArticle2('getMany', { returnAll: true }));
		expect(items).toHaveLength(120);
		expect(sandbox.count('/cgi-bin/comment/list')).toBe(3);
		expect(items[0].json).toMatchObject({
			msg_data_id: msgDataId,
			articleNumber: 2,
			user_comment_id: ids[0],
			content: 'Reader comment 1',
			comment_type: 0,
			openid: expect.any(String),
			create_time: expect.any(Number),
		});
		expect(items.map(({ json }) => json.user_comment_id)).toEqual(ids);
	});

	it('getMany with a Limit asks for no more than it returns; article 1 has its own (empty) comments', async () => {
		const items = await runNode(sandbox, onArticle2('getMany', { returnAll: false, limit: 10 }));
		expect(items.map(({ json }) => json.content)).toEqual(Array.from({ length: 10 }, (_v, index) => `Reader comment ${index + 1}`));
		expect(sandbox.count('/cgi-bin/comment/list')).toBe(1);
		expect(await runNode(sandbox, onArticle2('getMany', { articleNumber: 1, returnAll: true }))).toEqual([]);
	});

	it('feature and unfeature: the featured list follows', async () => {
		const [featured] = await runNode(sandbox, onArticle2('feature', { userCommentId: ids[4] }));
		expect(featured.json).toEqual({ success: true, msg_data_id: msgDataId, articleNumber: 2, user_comment_id: ids[4] });
		const list = await runNode(sandbox, onArticle2('getMany', { commentType: 'featured', returnAll: true }));
		expect(list.map(({ json }) => [json.user_comment_id, json.comment_type])).toEqual([[ids[4], 1]]);
		expect(await runNode(sandbox, onArticle2('getMany', { commentType: 'normal', returnAll: true }))).toHaveLength(119);
		await runNode(sandbox, onArticle2('unfeature', { userCommentId: ids[4] }));
		expect(await runNode(sandbox, onArticle2('getMany', { commentType: 'featured', returnAll: true }))).toEqual([]);
	});

	it('reply, a second reply refused with 88005 and its fix, delete the reply', async () => {
		const [reply] = await runNode(sandbox, onArticle2('reply', { userCommentId: ids[1], content: 'Thank you!' }));
		expect(reply.json).toEqual({ success: true, msg_data_id: msgDataId, articleNumber: 2, user_comment_id: ids[1], content: 'Thank you!' });
		const [listed] = await runNode(sandbox, onArticle2('getMany', { limit: 2 })).then((items) => items.slice(1));
		expect(listed.json.reply).toEqual({ content: 'Thank you!', create_time: expect.any(Number) });
		const error = await runNodeError(sandbox, onArticle2('reply', { userCommentId: ids[1], content: 'Again' }));
		expect(error.message).toContain('88005');
		expect(error.message).toContain('Delete the reply first');
		await runNode(sandbox, onArticle2('deleteReply', { userCommentId: ids[1] }));
		const [after] = await runNode(sandbox, onArticle2('getMany', { limit: 2 })).then((items) => items.slice(1));
		expect(after.json.reply).toBeUndefined();
	});

	it('a batch of replies that stops at a refused one names the comments already answered', async () => {
		const targets = [ids[10], ids[11], ids[10]];
		const error = await runNodeError(
			sandbox,
			targets.map((userCommentId) => onArticle2('reply', { userCommentId, content: 'Noted' })),
			{ items: targets.map(() => ({ json: {} })) },
		);
		expect(error.message).toContain('88005');
		expect(error.description).toContain(`item 0 (user_comment_id ${ids[10]}); item 1 (user_comment_id ${ids[11]})`);
		expect(sandbox.count('/cgi-bin/comment/reply/add')).toBe(3);
	});

	it('delete: the comment is gone', async () => {
		await runNode(sandbox, onArticle2('delete', { userCommentId: ids[119] }));
		const items = await runNode(sandbox, onArticle2('getMany', { returnAll: true }));
		expect(items.map(({ json }) => json.user_comment_id)).not.toContain(ids[119]);
		const error = await runNodeError(sandbox, onArticle2('delete', { userCommentId: ids[119] }));
		expect(error.message).toContain('88008');
	});

	it('close and open: readers cannot comment while closed', async () => {
		const [closed] = await runNode(sandbox, { resource: 'comment', operation: 'close', msgDataId, articleNumber: 1 });
		expect(closed.json).toEqual({ success: true, msg_data_id: msgDataId, articleNumber: 1, comments: 'closed' });
		expect(() => engagementControl(sandbox, 'comments', { msg_data_id: msgDataId, articleNumber: 1, content: 'Hi' })).toThrow(/closed/);
		await runNode(sandbox, { resource: 'comment', operation: 'open', msgDataId, articleNumber: 1 });
		expect(engagementControl(sandbox, 'comments', { msg_data_id: msgDataId, articleNumber: 1, content: 'Hi' })).toEqual({
			user_comment_ids: [expect.stringMatching(/^\d+$/)],
		});
	});

	it.each([
		['reply', { userCommentId: '1', content: 'Hi' }],
		['deleteReply', { userCommentId: '1' }],
		['feature', { userCommentId: '1' }],
		['unfeature', { userCommentId: '1' }],
		['delete', { userCommentId: '1' }],
		['open', {}],
		['close', {}],
	])('%s is a write: refused under Retry On Fail before any request', async (operation, extra) => {
		const error = await runNodeError(sandbox, onArticle2(operation, extra), { node: { retryOnFail: true, maxTries: 3 } });
		expect(error.message).toContain('Retry On Fail');
		expect(commentRequests()).toBe(0);
	});

	it('refuses an article number from 0 and an ID that is no number before any request', async () => {
		const zero = await runNodeError(sandbox, onArticle2('getMany', { articleNumber: 0 }));
		expect(zero.message).toContain('Article Number must be a whole number from 1');
		const text = await runNodeError(sandbox, onArticle2('feature', { userCommentId: 'abc' }));
		expect(text.message).toContain('User Comment ID must be a number');
		expect(commentRequests()).toBe(0);
	});

	it('explains 88000 (no comment permission) and 88001 (an article WeChat does not know)', async () => {
		engagementControl(sandbox, 'settings', { commentPermission: false });
		const denied = await runNodeError(sandbox, onArticle2('getMany'));
		expect(denied.message).toContain('88000');
		expect(denied.message).toContain('verified account');
		engagementControl(sandbox, 'settings', { commentPermission: true });
		const missing = await runNodeError(sandbox, onArticle2('getMany', { articleNumber: 3 }));
		expect(missing.message).toContain('88001');
	});
});
