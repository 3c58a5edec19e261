import { MASS_SEND_PATH } from '../../scripts/demo/workflows';
import { ImageServer, WeChatSandbox } from '../sandbox';
import { Catcher } from './harness/catcher';
import { loadExample, sandboxCredential, triggerWebhookPath } from './harness/examples';
import { N8nInstance, nodeOutputs, type CliRun, type WorkflowJson } from './harness/n8n';
import { SandboxApi } from './harness/sandboxApi';
import { httpPostNode, manualTriggerNode, weChatActionNode, weChatTriggerNode, workflow } from './harness/workflow-builders';

/**
 * Mass send (群发) in a real n8n against the sandbox: Send to all and to a tag, a re-run after an
 * answer that never came, the quota and Retry On Fail refusals, Wait for Result, Preview, Get
 * Status, Delete; and trigger version 3 routing MASSSENDJOBFINISH to Sent / Not Sent beside the
 * publish results. msg_ids start above 2^63 - 1000 (19 digits): every one must come out exact.
 */

const CREDENTIAL = { id: 'e2eMassSendCred1', name: 'WeChat (sandbox)' };
const FIRST_MSG_ID = '9223372036854775001';
const TRIGGER = { id: 'e2eMassTrigger01', webhookId: '3f0c9a51-8e2b-4d7c-a6f4-1b2c3d4e5f60' };
const SENDALL = '/cgi-bin/message/mass/sendall';
const OUTPUTS = ['Published', 'Failed', 'Removed', 'Sent', 'Not Sent', 'Other'];

type Json = Record<string, unknown>;

function wechatNode(name: string, parameters: Json, x: number, settings: Json = {}): Json {
	return weChatActionNode(name, parameters, { x, credential: CREDENTIAL, settings });
}

function send(mediaId: string, extra: Json = {}): Json {
	return { resource: 'massMessage', operation: 'send', mediaId: { __rl: true, mode: 'id', value: mediaId }, ...extra };
}

/** Start → the nodes, one after the other. */
function straight(id: string, nodes: Json[]): WorkflowJson {
	const names = ['Start', ...nodes.map((node) => String(node.name))];
	const connections = Object.fromEntries(names.slice(1).map((to, index) => [names[index], { main: [[{ node: to, type: 'main', index: 0 }]] }]));
	return workflow({ id, name: id, nodes: [manualTriggerNode(), ...nodes], connections });
}

/** Trigger version 3, each output posting its name and the item's IDs to the catcher. */
function triggerWorkflow(catcherUrl: string): WorkflowJson {
	const body = (output: string) =>
		`={{ JSON.stringify({ output: ${JSON.stringify(output)}, msg_id: $json.msg_id ?? null, status: $json.status, statusCode: $json.statusCode ?? null, publish_id: $json.publish_id ?? null, sent: $json.SentCount ?? null, urls: ($json.ArticleUrlResult?.ResultList ?? []).length }) }}`;
	const posts = OUTPUTS.map((output, index) => ({ ...httpPostNode(`Post ${output}`, `${catcherUrl}/mass-trigger`, body(output), 300), position: [300, index * 150] }));
	const trigger = { ...weChatTriggerNode({ webhookId: TRIGGER.webhookId, typeVersion: 3, credential: CREDENTIAL }), position: [0, 0] };
	return workflow({
		id: TRIGGER.id,
		name: 'Mass-send results (trigger v3)',
		nodes: [trigger, ...posts],
		connections: { 'WeChat Trigger': { main: OUTPUTS.map((output) => [{ node: `Post ${output}`, type: 'main', index: 0 }]) } },
		active: true,
	});
}

describe('mass send in a real n8n', () => {
	let sandbox: WeChatSandbox;
	let catcher: Catcher;
	let n8n: N8nInstance;
	let images: ImageServer;
	let example: WorkflowJson;
	let api: SandboxApi;
	/** The drafts each workflow sends, created before n8n starts (a workflow is imported with its IDs). */
	const drafts: Record<string, string> = {};
	let day = 1;

	/** A new day for the subscription account's one send. */
	/** A Send of its own draft, run from the editor (a manual execution) in the test below. */
	const manualWorkflow = () => straight('e2eMassManual001', [wechatNode('Send', send(drafts.manual), 200)]);

	const newDay = () => sandbox.configure({ massSend: { day: ++day } });

	async function run(workflowId: string): Promise<NonNullable<CliRun['run']>> {
		const result = await n8n.execute(workflowId);
		// n8n's own status of the run decides; the CLI process's exit code is about the CLI.
		if (result.run?.status !== 'success') throw new Error(`${workflowId} failed (exit code ${result.exitCode}):\n${result.output.slice(-3000)}`);
		return result.run;
	}

	const sends = () => sandbox.snapshot().massSends as Json[];
	const sendOf = (mediaId: string) => sends().filter((entry) => entry.mediaId === mediaId);
	const triggerPosts = (): Json[] => catcher.requests.filter((request) => request.path === '/mass-trigger').map((request) => request.body as Json);

	beforeAll(async () => {
		sandbox = await WeChatSandbox.start({ massSend: { delayMs: 300, msgIdStart: FIRST_MSG_ID }, publish: { status: 0, delayMs: 100 } });
		catcher = await Catcher.start();
		images = await ImageServer.start();
		example = loadExample('massSend', { credential: CREDENTIAL, slackUrl: `${catcher.url}/slack/mass`, imageServerUrl: images.url, active: true });
		api = await SandboxApi.signIn(sandbox);
		const cover = await api.uploadCover();
		for (const name of ['all', 'tag', 'rerun', 'manual', 'daily', 'quota', 'retry', 'preview', 'manage', 'fail', 'rejected', 'publish']) {
			const articles = [1, 2].map((n) => ({ title: `Mass ${name} ${n}`, content: `<p>${name} ${n}</p>`, thumb_media_id: cover }));
			drafts[name] = String((await api.call('/cgi-bin/draft/add', { articles })).media_id);
		}
		const waited = { waitForResult: true, pollInterval: 1, waitTimeout: 60 };
		n8n = await N8nInstance.start({
			credentials: [sandboxCredential(sandbox, CREDENTIAL)],
			workflows: [
				example,
				triggerWorkflow(catcher.url),
				straight('e2eMassAll000001', [wechatNode('Send', send(drafts.all, { options: waited }), 200)]),
				straight('e2eMassTag000001', [wechatNode('Send', send(drafts.tag, { recipients: 'tag', tagId: { __rl: true, mode: 'list', value: '100' } }), 200)]),
				straight('e2eMassRerun0001', [wechatNode('Send', send(drafts.rerun), 200)]),
				manualWorkflow(),
				straight('e2eMassQuota0001', [wechatNode('Send', send(drafts.quota), 200)]),
				straight('e2eMassRetry0001', [wechatNode('Send', send(drafts.retry), 200, { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 })]),
				straight('e2eMassPreview01', [wechatNode('Preview', { resource: 'massMessage', operation: 'preview', mediaId: { __rl: true, mode: 'id', value: drafts.preview }, previewTo: 'wechatId', recipient: 'reviewer_wxid' }, 200)]),
				straight('e2eMassManage001', [
					wechatNode('Send', send(drafts.manage, { options: waited }), 200),
					wechatNode('Get Status', { resource: 'massMessage', operation: 'get', msgId: '={{ $json.msg_id }}' }, 400),
					wechatNode('Delete', { resource: 'massMessage', operation: 'delete', msgId: '={{ $json.msg_id }}', deleteScope: 'one', articleNumber: 2 }, 600),
				]),
				straight('e2eMassFail00001', [wechatNode('Send', send(drafts.fail), 200)]),
				straight('e2eMassReject001', [wechatNode('Send', send(drafts.rejected), 200)]),
			],
		});
		process.stderr.write(`e2e mass send: n8n start phases ${JSON.stringify(n8n.timings)}\n`);
		sandbox.configure({ callback: { url: n8n.webhookUrl(triggerWebhookPath(triggerWorkflow(catcher.url))), mode: 'safe' } });
	});

	afterEach(() => {
		sandbox.clearFaults();
		sandbox.configure({ massSend: { outcome: 'send success' }, duplicatePushes: 0 });
	});

	afterAll(async () => {
		await n8n?.stop();
		await catcher?.close();
		await sandbox?.close();
		await images?.close();
	});

	it('sends to all followers, waits for the result, keeps the 19-digit msg_id exactly, and the trigger routes it to Sent', async () => {
		newDay();
		const [[item]] = nodeOutputs((await run('e2eMassAll000001')).data, 'Send');
		const [sent] = sendOf(drafts.all);
		expect(sent).toMatchObject({ toAll: true, status: 'sent' });
		expect(BigInt(sent.msgId as string)).toBeGreaterThan(2n ** 53n);
		expect(item).toEqual({
			msg_id: sent.msgId,
			msg_data_id: sent.msgDataId,
			media_id: drafts.all,
			clientmsgid: sent.clientMsgId,
			alreadySent: false,
			msg_status: 'SEND_SUCCESS',
			status: 'sent',
		});
		const post = await catcher.waitFor((request) => request.path === '/mass-trigger' && (request.body as Json).msg_id === sent.msgId);
		expect(post.body).toEqual({ output: 'Sent', msg_id: sent.msgId, status: 'sent', statusCode: null, publish_id: null, sent: 1188, urls: 2 });
	});

	it('sends to a tag picked by its ID', async () => {
		newDay();
		const [[item]] = nodeOutputs((await run('e2eMassTag000001')).data, 'Send');
		expect(sendOf(drafts.tag)).toEqual([expect.objectContaining({ toAll: false, tagId: 100, audience: 320, msgId: item.msg_id })]);
	});

	it('a re-run after an answer that never came sends nothing new and reports alreadySent with the first msg_id', async () => {
		newDay();
		sandbox.injectFault(SENDALL, { dropAnswer: true });
		const lost = await n8n.execute('e2eMassRerun0001');
		expect(lost.exitCode).not.toBe(0);
		expect(lost.output).toContain('Running it again is safe');
		expect(sendOf(drafts.rerun)).toHaveLength(1);
		const [[again]] = nodeOutputs((await run('e2eMassRerun0001')).data, 'Send');
		const [first] = sendOf(drafts.rerun);
		expect(again).toMatchObject({ msg_id: first.msgId, alreadySent: true, clientmsgid: first.clientMsgId });
		expect(sendOf(drafts.rerun)).toHaveLength(1);
	});

	it('a manual execution (the editor\'s Execute workflow) refuses to send before any call', async () => {
		newDay();
		const before = sandbox.count(SENDALL);
		await n8n.rest('POST', '/workflows/e2eMassManual001/run', { workflowData: manualWorkflow(), triggerToStartFrom: { name: 'Start' } });
		const [execution] = await n8n.waitForExecutions('e2eMassManual001', 1);
		expect({ mode: execution.mode, status: execution.status }).toEqual({ mode: 'manual', status: 'error' });
		expect(execution.data?.resultData.error?.message).toBe('Mass Message → Send does not send from a manual execution: nothing was sent');
		expect(sandbox.count(SENDALL)).toBe(before);
		expect(sendOf(drafts.manual)).toEqual([]);
	});

	it('explains 45028 once the day\'s send is used; Retry On Fail refuses before any call', async () => {
		newDay();
		await api.call(SENDALL, { filter: { is_to_all: true }, msgtype: 'mpnews', mpnews: { media_id: drafts.daily }, clientmsgid: 'the-day-s-send' });
		const quota = await n8n.execute('e2eMassQuota0001');
		expect(quota.exitCode).not.toBe(0);
		expect(quota.output).toContain('WeChat error 45028: No mass-send quota left');
		expect(sendOf(drafts.quota)).toHaveLength(0);
		const before = sandbox.count(SENDALL);
		const retry = await n8n.execute('e2eMassRetry0001');
		expect(retry.exitCode).not.toBe(0);
		expect(retry.output).toContain('Mass Message → Send writes to WeChat, and this node has Retry On Fail on');
		expect(sandbox.count(SENDALL)).toBe(before);
	});

	it('previews to a WeChat ID', async () => {
		const [[item]] = nodeOutputs((await run('e2eMassPreview01')).data, 'Preview');
		expect(item).toEqual({ msg_id: expect.stringMatching(/^\d{19}$/), media_id: drafts.preview });
		expect(sandbox.snapshot().previews).toContainEqual(expect.objectContaining({ towxname: 'reviewer_wxid', mediaId: drafts.preview, msgId: item.msg_id }));
	});

	it('gets the status of a send and deletes one article of it', async () => {
		newDay();
		const result = await run('e2eMassManage001');
		const [[sent]] = nodeOutputs(result.data, 'Send');
		const [[status]] = nodeOutputs(result.data, 'Get Status');
		const [[deleted]] = nodeOutputs(result.data, 'Delete');
		expect(status).toEqual({ msg_id: sent.msg_id, msg_status: 'SEND_SUCCESS', status: 'sent' });
		expect(deleted).toEqual({ success: true, msg_id: sent.msg_id, deleted: 2 });
		const post = await catcher.waitFor((request) => request.path === '/mass-trigger' && (request.body as Json).msg_id === sent.msg_id);
		expect((post.body as Json).urls).toBe(2);
	});

	it('the trigger routes send fail and err(N) to Not Sent; a repeat delivery starts nothing; publish results still reach Published', async () => {
		const executions = async () => (await n8n.executions({ workflowId: TRIGGER.id })).length;
		newDay();
		await sandbox.idle();
		// Every push so far was acknowledged at its first try and started one run.
		const acknowledged = [...sandbox.massPushes, ...sandbox.pushes].filter((push) => push.attempt === 1 && push.httpStatus === 200);
		const before = acknowledged.length;
		await n8n.waitForExecutions(TRIGGER.id, before);
		expect(await executions()).toBe(before);

		sandbox.configure({ massSend: { outcome: 'send fail' }, duplicatePushes: 1 });
		const [[failed]] = nodeOutputs((await run('e2eMassFail00001')).data, 'Send');
		sandbox.configure({ massSend: { outcome: 'err(10001)' } });
		const [[rejected]] = nodeOutputs((await run('e2eMassReject001')).data, 'Send');
		const { publish_id: publishId } = await api.call('/cgi-bin/freepublish/submit', { media_id: drafts.publish });
		await sandbox.idle();

		const failPost = await catcher.waitFor((request) => request.path === '/mass-trigger' && (request.body as Json).msg_id === failed.msg_id);
		expect(failPost.body).toMatchObject({ output: 'Not Sent', status: 'failed', statusCode: null });
		const rejectPost = await catcher.waitFor((request) => request.path === '/mass-trigger' && (request.body as Json).msg_id === rejected.msg_id);
		expect(rejectPost.body).toMatchObject({ output: 'Not Sent', status: 'rejected', statusCode: 10001 });
		const publishPost = await catcher.waitFor((request) => request.path === '/mass-trigger' && (request.body as Json).publish_id === String(publishId));
		expect(publishPost.body).toMatchObject({ output: 'Published', status: 'published' });

		// Each push was delivered twice (duplicatePushes: 1), every delivery acknowledged; three runs.
		const deliveries = [...sandbox.massPushes, ...sandbox.pushes].filter((push) => ('msgId' in push ? [failed.msg_id, rejected.msg_id].includes(push.msgId) : push.publishId === String(publishId)));
		expect(deliveries.map((push) => [push.attempt, push.httpStatus, push.body])).toEqual(Array.from({ length: 3 }, () => [[1, 200, 'success'], [2, 200, 'success']]).flat());
		await n8n.waitForExecutions(TRIGGER.id, before + 3);
		await new Promise((resolve) => setTimeout(resolve, 1000));
		expect(await executions()).toBe(before + 3);
		expect(triggerPosts().filter((post) => post.msg_id === failed.msg_id || post.msg_id === rejected.msg_id)).toHaveLength(2);
	});

	describe('the example "Mass-send an article after a reviewer approves it"', () => {
		const slackTexts = () => catcher.requests.filter((request) => request.path === '/slack/mass').map((request) => (request.body as { text: string }).text);

		beforeAll(() => sandbox.configure({ callback: { url: n8n.webhookUrl(triggerWebhookPath(example)), mode: 'safe' } }));
		afterAll(() => sandbox.configure({ callback: { url: n8n.webhookUrl(triggerWebhookPath(triggerWorkflow(catcher.url))), mode: 'safe' } }));

		/**
		 * Opens an approval link as the reviewer does. The message goes out just before the Wait
		 * node puts the execution to sleep; until then n8n 2 answers 409, and n8n 1.x, which may find
		 * the execution saved without its run data yet (waiting-webhooks.js), 500. A person clicks
		 * much later; a link that keeps failing still fails the test at the deadline.
		 */
		async function openLink(url: string): Promise<number> {
			const deadline = Date.now() + 20_000;
			for (;;) {
				const { status } = await fetch(url);
				if ((status !== 409 && status !== 500) || Date.now() > deadline) return status;
				await new Promise((resolve) => setTimeout(resolve, 250));
			}
		}

		/** Posts an article to the example's webhook; resolves with the approval request's draft and links. */
		async function submitArticle(title: string): Promise<{ mediaId: string; approve: string; reject: string }> {
			const answer = await fetch(n8n.webhookUrl(MASS_SEND_PATH), {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ title, markdown: `# ${title}\n\nWritten in **Markdown**, sent after approval.` }),
			});
			expect(answer.status).toBe(200);
			const ask = await catcher.waitFor((request) => request.path === '/slack/mass' && (request.body as { text: string }).text.includes(`"${title}"`), 60_000);
			const text = (ask.body as { text: string }).text;
			const [, mediaId, approve, reject] = /\(draft (\S+)\)\. Approve: (\S+) {2}Reject: (\S+)$/.exec(text) ?? [];
			expect({ mediaId, approve, reject }).toEqual({ mediaId: expect.any(String), approve: expect.stringMatching(/[?&]approved=yes$/), reject: expect.stringMatching(/[?&]approved=no$/) });
			return { mediaId, approve, reject };
		}

		it('creates the draft, previews it to the reviewer, sends nothing until approved, then mass-sends and posts Sent from the trigger', async () => {
			newDay();
			const { mediaId, approve } = await submitArticle('Approved article');
			expect(sandbox.snapshot().previews).toContainEqual(expect.objectContaining({ towxname: 'your-reviewer-wechat-id', mediaId }));
			expect(sendOf(mediaId)).toHaveLength(0);
			expect(await openLink(approve)).toBe(200);
			const sentText = await catcher.waitFor((request) => request.path === '/slack/mass' && (request.body as { text: string }).text.startsWith('Sent to followers'), 60_000);
			const [sent] = sendOf(mediaId);
			expect(sent).toMatchObject({ toAll: true, status: 'sent' });
			expect((sentText.body as { text: string }).text).toMatch(new RegExp(`^Sent to followers: 1188 of 1200 received it \\(msg_id ${sent.msgId as string}\\): ${sandbox.url}/s/`));
		});

		it('a rejection sends nothing and says so', async () => {
			newDay();
			const { mediaId, reject } = await submitArticle('Rejected article');
			expect(await openLink(reject)).toBe(200);
			await catcher.waitFor((request) => request.path === '/slack/mass' && (request.body as { text: string }).text.startsWith('Not sent: the reviewer did not approve "Rejected article"'), 60_000);
			expect(sendOf(mediaId)).toHaveLength(0);
			expect(slackTexts().filter((text) => text.startsWith('WeChat did not mass-send'))).toEqual([]);
		});
	});
});
