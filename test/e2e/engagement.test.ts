import { WeChatSandbox } from '../sandbox';
import { beijingDay, engagementControl, publishTwoArticles } from '../unit/engagement-harness';
import { Catcher } from './harness/catcher';
import { loadExample, sandboxCredential } from './harness/examples';
import { N8nInstance, nodeOutputs, type WorkflowJson } from './harness/n8n';
import { chain, manualTriggerNode, weChatActionNode, workflow } from './harness/workflow-builders';

// After an article goes out, in a real n8n against the sandbox: statistics of a published and a
// mass-sent article over 60 days, then its comments read in pages, replied to, featured, deleted;
// a comment write with Retry On Fail on refused before anything reaches the sandbox; and the two
// examples: the weekly report's table, and the comment inbox posting only comments it has not seen.

const CREDENTIAL = { id: 'e2eEngagementCred1', name: 'WeChat (sandbox)' };
const MASS_SENT = '2247499999';
/** Beyond 2^53: only text keeps every digit. */
const BIG_ID = '12345678901234567891';
/** A mass send the comment inbox test adds (after the weekly report has run). */
const RECENT = '2247500001';

function wechat(name: string, parameters: Record<string, unknown>, x: number, settings: Record<string, unknown> = {}): Record<string, unknown> {
	return weChatActionNode(name, parameters, { x, credential: CREDENTIAL, settings });
}

function engagementWorkflow(msgDataId: string): WorkflowJson {
	const once = { executeOnce: true };
	const comment = (operation: string, extra: Record<string, unknown>) => ({ resource: 'comment', operation, msgDataId, articleNumber: 2, ...extra });
	const listed = (index: number) => `={{ $('List Comments').all()[${index}].json.user_comment_id }}`;
	return workflow({
		id: 'e2eEngagement001',
		name: 'Statistics and comments',
		nodes: [
			manualTriggerNode(),
			wechat('Article Statistics', { resource: 'statistics', operation: 'getArticleDetails', startDate: beijingDay(-60), endDate: beijingDay(-1) }, 200),
			// The article the statistics name, as they name it: no Code node in between.
			wechat(
				'List Comments',
				{ resource: 'comment', operation: 'getMany', msgDataId: "={{ $('Article Statistics').all()[1].json.msg_data_id }}", articleNumber: "={{ $('Article Statistics').all()[1].json.articleNumber }}", returnAll: true },
				400,
				once,
			),
			wechat('Reply', comment('reply', { userCommentId: listed(0), content: 'Thanks for reading!' }), 600, once),
			wechat('Feature', comment('feature', { userCommentId: listed(1) }), 800, once),
			wechat('Delete', comment('delete', { userCommentId: listed(2) }), 1000, once),
			wechat('Featured After', comment('getMany', { commentType: 'featured', returnAll: true }), 1200, once),
		],
		connections: chain('Start', 'Article Statistics', 'List Comments', 'Reply', 'Feature', 'Delete', 'Featured After'),
	});
}

function retryOnFailWorkflow(msgDataId: string): WorkflowJson {
	return workflow({
		id: 'e2eEngagement002',
		name: 'Comment reply with Retry On Fail',
		nodes: [
			manualTriggerNode(),
			wechat('Reply With Retry', { resource: 'comment', operation: 'reply', msgDataId, articleNumber: 2, userCommentId: '1', content: 'Hi' }, 200, {
				retryOnFail: true,
				maxTries: 3,
				waitBetweenTries: 0,
			}),
		],
		connections: chain('Start', 'Reply With Retry'),
	});
}

/**
 * The example with a Manual Trigger beside its Schedule Trigger, feeding the same node: `n8n
 * execute` starts only from a manual trigger, and the schedule would not fire within a test.
 */
function withManualStart(example: WorkflowJson): WorkflowJson {
	const schedule = example.nodes.find((node) => node.type === 'n8n-nodes-base.scheduleTrigger');
	if (!schedule) throw new Error(`${example.name}: no Schedule Trigger`);
	const connections = example.connections as Record<string, unknown>;
	return { ...example, nodes: [...example.nodes, manualTriggerNode()], connections: { ...connections, Start: connections[String(schedule.name)] } };
}

describe('statistics and comments in a real n8n', () => {
	let sandbox: WeChatSandbox;
	let n8n: N8nInstance;
	let catcher: Catcher;
	let msgDataId: string;
	let commentIds: string[];

	beforeAll(async () => {
		sandbox = await WeChatSandbox.start({ publish: { status: 0, delayMs: 20 } });
		msgDataId = await publishTwoArticles(sandbox, 'E2E');
		engagementControl(sandbox, 'backdate', { msg_data_id: msgDataId, published_on: beijingDay(-20) });
		engagementControl(sandbox, 'publication', { msg_data_id: MASS_SENT, publish_type: 0, published_on: beijingDay(-12), titles: ['Sent 1', 'Sent 2'] });
		engagementControl(sandbox, 'publication', { msg_data_id: BIG_ID, publish_type: 0, published_on: beijingDay(-2) });
		const comments = Array.from({ length: 60 }, (_value, index) => ({ content: `Comment ${index + 1}` }));
		({ user_comment_ids: commentIds } = engagementControl(sandbox, 'comments', { msg_data_id: msgDataId, articleNumber: 2, comments }) as { user_comment_ids: string[] });
		catcher = await Catcher.start();
		const values = { credential: CREDENTIAL, imageServerUrl: null };
		n8n = await N8nInstance.start({
			credentials: [sandboxCredential(sandbox, CREDENTIAL)],
			workflows: [
				engagementWorkflow(msgDataId),
				retryOnFailWorkflow(msgDataId),
				withManualStart(loadExample('weeklyReport', { ...values, slackUrl: `${catcher.url}/weekly` })),
				withManualStart(loadExample('commentInbox', { ...values, slackUrl: `${catcher.url}/inbox` })),
			],
		});
	});

	afterAll(async () => {
		await n8n?.stop();
		await catcher?.close();
		await sandbox?.close();
	});

	it('statistics: IDs and article numbers exact, notified right, 60 days in 60 requests; comments paged, replied, featured, deleted', async () => {
		sandbox.resetCounts();
		const result = await n8n.execute('e2eEngagement001');
		if (!result.run) throw new Error(`no run parsed from n8n execute:\n${result.output.slice(-2000)}`);
		expect(result.exitCode).toBe(0);

		const [statistics] = nodeOutputs(result.run.data, 'Article Statistics');
		expect(statistics.map((item) => [item.msg_data_id, item.articleNumber, item.notified, item.ref_date])).toEqual([
			[msgDataId, 1, false, beijingDay(-20)],
			[msgDataId, 2, false, beijingDay(-20)],
			[MASS_SENT, 1, true, beijingDay(-12)],
			[MASS_SENT, 2, true, beijingDay(-12)],
			[BIG_ID, 1, true, beijingDay(-2)],
		]);
		for (const item of statistics) expect(item).toMatchObject({ read_user: expect.any(Number), share_user: expect.any(Number), is_delay: false });
		expect(sandbox.count('/datacube/getarticletotaldetail')).toBe(60);

		const [listed] = nodeOutputs(result.run.data, 'List Comments');
		expect(listed.map((item) => item.user_comment_id)).toEqual(commentIds);
		expect(listed[0]).toMatchObject({ msg_data_id: msgDataId, articleNumber: 2, content: 'Comment 1' });
		expect(sandbox.count('/cgi-bin/comment/list')).toBe(3);

		expect(nodeOutputs(result.run.data, 'Reply')[0]).toEqual([
			{ success: true, msg_data_id: msgDataId, articleNumber: 2, user_comment_id: commentIds[0], content: 'Thanks for reading!' },
		]);
		const [featured] = nodeOutputs(result.run.data, 'Featured After');
		expect(featured.map((item) => item.user_comment_id)).toEqual([commentIds[1]]);
		for (const path of ['reply/add', 'markelect', 'delete']) expect(sandbox.count(`/cgi-bin/comment/${path}`)).toBe(1);

		const remaining = sandbox.engagement.comments.list({ msg_data_id: msgDataId, index: 1, begin: 0, count: 49, type: 0 });
		expect(remaining.total).toBe(59);
		const first = (remaining.comment as Array<Record<string, unknown>>)[0];
		expect(first.reply).toEqual({ content: 'Thanks for reading!', create_time: expect.any(Number) });
	});

	it('a comment reply with Retry On Fail on sends nothing and fails with the reason', async () => {
		sandbox.resetCounts();
		const result = await n8n.execute('e2eEngagement002');
		expect(result.exitCode).not.toBe(0);
		expect(result.output).toContain('Comment → Reply writes to WeChat, and this node has Retry On Fail on');
		expect(sandbox.count('/cgi-bin/comment/reply/add')).toBe(0);
	});

	it('the weekly report example posts one table of the past week\'s articles', async () => {
		const result = await n8n.execute('wechatExampleWkRp');
		if (result.exitCode !== 0) throw new Error(`n8n execute failed:\n${result.output.slice(-3000)}`);
		const posted = catcher.requests.filter((request) => request.path === '/weekly');
		expect(posted).toHaveLength(1);
		const text = (posted[0].body as { text: string }).text;
		expect(text).toContain('| Published | Article | Notified | Reads | Shares | Likes | Comments |');
		expect(text).toContain(`| ${BIG_ID} #1 | yes |`);
		expect(text).not.toContain(msgDataId);
	});

	it('the comment inbox example posts each comment once, across executions', async () => {
		// Within the inbox's 7 days, beside BIG_ID (which no comment endpoint takes: it goes to the error output).
		engagementControl(sandbox, 'publication', { msg_data_id: RECENT, publish_type: 0, published_on: beijingDay(-4), titles: ['Recent 1', 'Recent 2'] });
		engagementControl(sandbox, 'comments', { msg_data_id: RECENT, articleNumber: 2, comments: [{ content: 'First!' }, { content: 'Second' }] });
		const first = await n8n.execute('wechatExampleCmIb');
		if (first.exitCode !== 0) throw new Error(`n8n execute failed:\n${first.output.slice(-3000)}`);
		const inbox = () => catcher.requests.filter((request) => request.path === '/inbox').map((request) => (request.body as { text: string }).text);
		expect(inbox()).toEqual([expect.stringContaining(`${RECENT} #2: "First!"`), expect.stringContaining(`${RECENT} #2: "Second"`)]);
		engagementControl(sandbox, 'comments', { msg_data_id: RECENT, articleNumber: 2, comments: [{ content: 'Third' }] });
		const second = await n8n.execute('wechatExampleCmIb');
		expect(second.exitCode).toBe(0);
		expect(inbox()).toHaveLength(3);
		expect(inbox()[2]).toContain('"Third"');
	});
});
