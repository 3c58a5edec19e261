import { ImageServer, WeChatSandbox } from '../sandbox';
import { Catcher, type CaughtRequest } from './harness/catcher';
import { loadExample, sandboxCredential, triggerWebhookPath, withoutWaiting } from './harness/examples';
import { N8nInstance, nodeOutputs, type WorkflowJson } from './harness/n8n';
import { publishExample, runWithSlack, slackText } from './harness/publish-runs';
import { n8nLine } from './harness/runtime';

/**
 * Scenario 3, both examples in one real n8n: "Create a draft and publish it" submits without
 * waiting, the sandbox finishes the job and pushes PUBLISHJOBFINISH (safe mode) to the active
 * "Route publish results", which posts the outcome of that publish_id to the Slack catcher. And
 * the example as shipped (submit, wait, a refusal down the Error output to the notifier). Part of
 * the n8n 1.x stage too: both lines must route a failure to the notifier.
 */

const CREDENTIAL = { id: 'e2eChainCred0001', name: 'WeChat (sandbox)' };
const SUBMIT_WORKFLOW_ID = 'e2eChainSubmit01';
const WAITING_WORKFLOW_ID = 'e2eChainWaiting1';
const SLACK_PATH = '/slack/chain';

describe('submit without waiting, the trigger workflow picks up the pushed result', () => {
	let sandbox: WeChatSandbox;
	let catcher: Catcher;
	let n8n: N8nInstance;
	let route: WorkflowJson;
	let images: ImageServer;

	beforeAll(async () => {
		sandbox = await WeChatSandbox.start({ publish: { status: 0, delayMs: 300 } });
		catcher = await Catcher.start();
		images = await ImageServer.start();
		const values = { credential: CREDENTIAL, slackUrl: `${catcher.url}${SLACK_PATH}`, imageServerUrl: images.url };
		const submit = withoutWaiting(loadExample('publish', { ...values, id: SUBMIT_WORKFLOW_ID }));
		const waiting = publishExample({ ...values, id: WAITING_WORKFLOW_ID, name: 'Publish and wait' });
		route = loadExample('route', { ...values, active: true });
		n8n = await N8nInstance.start({
			credentials: [sandboxCredential(sandbox, CREDENTIAL)],
			workflows: [submit, waiting, route],
		});
		process.stderr.write(`e2e chain: n8n start phases ${JSON.stringify(n8n.timings)}\n`);
		sandbox.configure({ callback: { url: n8n.webhookUrl(triggerWebhookPath(route)), mode: 'safe' } });
	});

	afterAll(async () => {
		await n8n?.stop();
		await catcher?.close();
		await sandbox?.close();
		await images?.close();
	});

	/** Runs the submitting workflow; returns the publish_id WeChat (the sandbox) gave it. */
	async function submitOnce(): Promise<string> {
		const result = await n8n.execute(SUBMIT_WORKFLOW_ID);
		if (result.exitCode !== 0 || result.run?.status !== 'success') {
			throw new Error(`n8n execute: exit ${result.exitCode}\n${result.output.slice(-3000)}`);
		}
		const [submitted] = nodeOutputs(result.run.data, 'Publish Draft')[0];
		// Without waiting, the node knows only the job: no status yet.
		expect(submitted).toEqual({ publish_id: expect.stringMatching(/^\d+$/), msg_data_id: expect.any(String), media_id: expect.any(String) });
		return String(submitted.publish_id);
	}

	function aboutPublishId(publishId: string): (request: CaughtRequest) => boolean {
		return (request) => request.path === SLACK_PATH && (request.body as { text: string }).text.includes(`publish_id ${publishId}`);
	}

	it('posts the published link of that publish_id from the trigger workflow', async () => {
		const publishId = await submitOnce();
		const message = await catcher.waitFor(aboutPublishId(publishId));
		const text = (message.body as { text: string }).text;
		const [, articleUrl] = /^Published on WeChat: (\S+) \(publish_id \d+\)$/.exec(text) ?? [];
		expect(articleUrl).toMatch(new RegExp(`^${sandbox.url}/s/`));
		expect((await fetch(articleUrl)).status).toBe(200);

		await sandbox.idle();
		expect(sandbox.pushes.map(({ publishId: pushed, httpStatus, body }) => ({ pushed, httpStatus, body }))).toEqual([
			{ pushed: publishId, httpStatus: 200, body: 'success' },
		]);
		const [execution] = await n8n.waitForExecutions(route.id, 1);
		expect(execution.mode).toBe('webhook');
		expect(nodeOutputs(execution.data!, 'WeChat Trigger')[0]).toEqual([
			expect.objectContaining({ publish_id: publishId, publish_status: 0, status: 'published' }),
		]);
	});

	it('raises the failure alert when the job is rejected by review (status 4)', async () => {
		sandbox.configure({ publish: { status: 4 } });
		const publishId = await submitOnce();
		const message = await catcher.waitFor(aboutPublishId(publishId));
		expect((message.body as { text: string }).text).toBe(
			`WeChat did not publish article 1: its check ended with status audit_rejected. See why in 发表记录 (Publish records) on mp.weixin.qq.com, fix the draft and publish it again. (publish_status 4, publish_id ${publishId})`,
		);
	});

	it(`submit → wait → failure: a refused submit leaves on the Error output and reaches the notifier (n8n ${n8nLine()}.x)`, async () => {
		sandbox.configure({ canPublish: false });
		try {
			const { run, slack } = await runWithSlack(n8n, catcher, WAITING_WORKFLOW_ID, SLACK_PATH);
			expect(run.status).toBe('success');
			const refusal = { message: expect.stringMatching(/^WeChat error 48001: /), errcode: 48001, outcomeUnknown: false };
			expect(nodeOutputs(run.data, 'Publish Draft')).toEqual([[], [expect.objectContaining({ error: refusal })]]);
			expect(() => nodeOutputs(run.data, 'Post Article Link')).toThrow('did not run');
			expect(slack.map(slackText)).toEqual([
				expect.stringMatching(/^WeChat did not publish “.+”: API not authorised for this account \(api unauthorized\)\. .* The draft stays in 草稿箱 \(Drafts\) on mp\.weixin\.qq\.com\. \(errcode 48001, rid [\w-]+\)$/),
			]);
		} finally {
			sandbox.configure({ canPublish: true });
		}
	});
});
