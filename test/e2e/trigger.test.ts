import { WeChatSandbox, toXml, type PushMode } from '../sandbox';
import { envelope, signPush } from '../sandbox/pusher';
import { Catcher, type CaughtRequest } from './harness/catcher';
import { exampleNode, loadExample, sandboxCredential, triggerWebhookPath, wechatUrlCheck } from './harness/examples';
import { N8nInstance, nodeOutputs, type WorkflowJson } from './harness/n8n';
import { SandboxApi } from './harness/sandboxApi';

/**
 * Scenario 2: the example "Route publish results" active in a real n8n. The sandbox publishes
 * with every outcome and pushes PUBLISHJOBFINISH to n8n's production webhook URL like WeChat;
 * each output of the trigger posts to the Slack catcher with its own wording.
 */

const CREDENTIAL = { id: 'e2eTriggerCred01', name: 'WeChat (sandbox)' };
/** The example for an account whose server configuration is in plain mode: Accept Plain Pushes on. */
const PLAIN_ROUTE = { id: 'e2eRoutePlain001', name: 'Route publish results (plain mode account)', webhookId: '7c1e4a9b-2d3f-4b6a-9e8d-0f1a2b3c4d5e' };
const SLACK_PATH = '/slack/route';

/** The trigger output each status goes to, told apart by the first words of its Slack message. */
const BRANCH_TEXT = {
	Published: /^Published on WeChat: /,
	Failed: /^WeChat did not publish /,
	Removed: /^A published WeChat article was removed /,
	Other: /^WeChat publish event: /,
};
type Branch = keyof typeof BRANCH_TEXT;
const BRANCH_OF_STATUS: Record<number, Branch> = { 0: 'Published', 1: 'Other', 2: 'Failed', 3: 'Failed', 4: 'Failed', 5: 'Removed', 6: 'Removed' };
/** The node each output leads to in the example. */
const NODE_OF_BRANCH: Record<Branch, string> = {
	Published: 'Post Published Links',
	Failed: 'Alert Failed',
	Removed: 'Alert Removed',
	Other: 'Post Other Event',
};
/** Outcomes a publish job ends with (status 1 never ends: it is pushed by hand). */
const FINAL_STATUSES = [0, 2, 3, 4, 5, 6];

/** publish_ids for hand-made pushes, far from the sandbox's own counter. */
let handPublishId = 990_000_000_000_000_000n;
const nextHandPublishId = () => String(++handPublishId);

function publishJobFinish(publishId: string, status: number): Record<string, unknown> {
	return { MsgType: 'event', Event: 'PUBLISHJOBFINISH', PublishEventInfo: { publish_id: BigInt(publishId), publish_status: status } };
}

describe('example "Route publish results" active in a real n8n', () => {
	let sandbox: WeChatSandbox;
	let catcher: Catcher;
	let n8n: N8nInstance;
	let route: WorkflowJson;
	let plainRoute: WorkflowJson;
	let callbackUrl: string;
	let plainCallbackUrl: string;
	let api: SandboxApi;
	let coverMediaId: string;

	/** A call to the sandbox's WeChat API; fails the test on an errcode. */
	const wechat = async (apiPath: string, body: unknown) => await api.call(apiPath, body);

	/**
	 * Creates a draft and submits it through the sandbox's API, then waits until the sandbox has
	 * finished the job with `status` and pushed the result (with its retries and duplicates).
	 */
	async function publish(status: number, mode: PushMode, articles = 1): Promise<string> {
		sandbox.configure({ publish: { status }, callback: { url: urlFor(mode), mode } });
		const { media_id: mediaId } = await wechat('/cgi-bin/draft/add', {
			articles: Array.from({ length: articles }, (_, index) => ({
				title: `Status ${status}, ${mode}, article ${index + 1}`,
				content: '<p>e2e</p>',
				thumb_media_id: coverMediaId,
			})),
		});
		const { publish_id: publishId } = await wechat('/cgi-bin/freepublish/submit', { media_id: mediaId });
		await sandbox.idle();
		return String(publishId);
	}

	function slackMessagesAbout(publishId: string): CaughtRequest[] {
		return catcher.requests.filter(
			(request) => request.path === SLACK_PATH && (request.body as { text: string }).text.includes(`publish_id ${publishId}`),
		);
	}

	/** Plain pushes go to the plain-mode account's workflow, encrypted ones to the example as imported. */
	const urlFor = (mode: PushMode) => (mode === 'plain' ? plainCallbackUrl : callbackUrl);
	const workflowFor = (mode: PushMode) => (mode === 'plain' ? plainRoute : route);

	/** Executions of both route workflows, as n8n's public API lists them. */
	async function allExecutions(): Promise<number> {
		return (await n8n.executions({ workflowId: route.id })).length + (await n8n.executions({ workflowId: plainRoute.id })).length;
	}

	/**
	 * The executions of both route workflows once there are at least `count` (the API lists a run
	 * only as it finishes, a moment after its Slack message), so an extra one would show too.
	 */
	async function executionsOnceAtLeast(count: number): Promise<number> {
		const deadline = Date.now() + 30_000;
		while ((await allExecutions()) < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
		return await allExecutions();
	}

	/**
	 * Waits until the route workflow (of `mode`) has `count` finished executions; returns how many
	 * it has in all, running ones included, so an extra one shows even before it ends.
	 */
	async function executionCount(count: number, mode: PushMode = 'safe'): Promise<number> {
		await n8n.waitForExecutions(workflowFor(mode).id, count);
		return (await n8n.executions({ workflowId: workflowFor(mode).id })).length;
	}

	beforeAll(async () => {
		sandbox = await WeChatSandbox.start({ publish: { status: 0, delayMs: 50 } });
		catcher = await Catcher.start();
		route = loadExample('route', { credential: CREDENTIAL, slackUrl: `${catcher.url}${SLACK_PATH}`, active: true });
		plainRoute = loadExample('route', { credential: CREDENTIAL, slackUrl: `${catcher.url}${SLACK_PATH}`, active: true, ...PLAIN_ROUTE });
		const plainTrigger = exampleNode(plainRoute, 'WeChat Trigger');
		plainTrigger.webhookId = PLAIN_ROUTE.webhookId;
		plainTrigger.parameters.options = { ...(plainTrigger.parameters.options as object), acceptPlainPushes: true };
		n8n = await N8nInstance.start({ credentials: [sandboxCredential(sandbox, CREDENTIAL)], workflows: [route, plainRoute] });
		process.stderr.write(`e2e trigger: n8n start phases ${JSON.stringify(n8n.timings)}\n`);
		callbackUrl = n8n.webhookUrl(triggerWebhookPath(route));
		plainCallbackUrl = n8n.webhookUrl(triggerWebhookPath(plainRoute));

		api = await SandboxApi.signIn(sandbox);
		coverMediaId = await api.uploadCover();
	});

	afterEach(() => sandbox.configure({ duplicatePushes: 0 }));

	afterAll(async () => {
		await n8n?.stop();
		await catcher?.close();
		await sandbox?.close();
	});

	it("answers WeChat's URL check on the production URL with the echostr", async () => {
		const answer = await wechatUrlCheck(callbackUrl, sandbox.config.token, 'route-echo-4417309');
		expect(answer.status).toBe(200);
		expect(await answer.text()).toBe('route-echo-4417309');
	});

	it.each<PushMode>(['plain', 'safe'])(
		'routes every outcome pushed in %s mode to its branch once, answering exactly "success"',
		async (mode) => {
			const before = (await n8n.executions({ workflowId: workflowFor(mode).id })).length;
			const sent: Array<{ publishId: string; status: number }> = [];
			for (const status of FINAL_STATUSES) {
				const publishId = await publish(status, mode, 2);
				sent.push({ publishId, status });
			}
			// Status 1 (still publishing) never ends a job: WeChat would not push it, but the
			// trigger must route it (and any unknown status) to Other.
			for (const status of [1, 9]) {
				const publishId = nextHandPublishId();
				const answer = await sandbox.pushEvent(publishJobFinish(publishId, status), { mode, url: urlFor(mode) });
				expect(answer).toEqual({ status: 200, body: 'success' });
				sent.push({ publishId, status });
			}
			for (const { publishId } of sent.slice(0, FINAL_STATUSES.length)) {
				const pushes = sandbox.pushes.filter((push) => push.publishId === publishId);
				expect(pushes.map(({ httpStatus, body, mode: pushMode }) => ({ httpStatus, body, pushMode }))).toEqual([
					{ httpStatus: 200, body: 'success', pushMode: mode },
				]);
			}

			expect(await executionCount(before + sent.length, mode)).toBe(before + sent.length);
			const executions = await n8n.waitForExecutions(workflowFor(mode).id, before + sent.length);
			for (const { publishId, status } of sent) {
				const branch = BRANCH_OF_STATUS[status] ?? 'Other';
				const messages = slackMessagesAbout(publishId);
				expect({ publishId, status, texts: messages.map((message) => (message.body as { text: string }).text) }).toEqual({
					publishId,
					status,
					texts: [expect.stringMatching(BRANCH_TEXT[branch])],
				});
			}

			// The Published message carries both article URLs the sandbox serves.
			const published = (slackMessagesAbout(sent[0].publishId)[0].body as { text: string }).text;
			const urls = published.match(new RegExp(`${sandbox.url}/s/\\S+`, 'g')) ?? [];
			expect(urls).toHaveLength(2);
			for (const url of urls) expect((await fetch(url)).status).toBe(200);
			// Status 2 with two articles: both failed, as the sandbox set them.
			expect((slackMessagesAbout(sent[1].publishId)[0].body as { text: string }).text).toMatch(/^WeChat did not publish article 1, article 2: .*发表记录.* \(publish_status 2, publish_id \d+\)$/);

			// In n8n's own record, each execution ran exactly the node of its branch.
			const ranNodes = executions.slice(0, sent.length).map((execution) =>
				Object.values(NODE_OF_BRANCH).filter((node) => {
					try {
						return nodeOutputs(execution.data!, node)[0].length > 0;
					} catch {
						return false;
					}
				}),
			);
			expect(ranNodes.every((nodes) => nodes.length === 1)).toBe(true);
		},
	);

	it('accepts a push in compatible mode', async () => {
		const before = (await n8n.executions({ workflowId: route.id })).length;
		const publishId = await publish(0, 'compatible');
		expect(sandbox.pushes.filter((push) => push.publishId === publishId).map((push) => push.httpStatus)).toEqual([200]);
		expect(await executionCount(before + 1)).toBe(before + 1);
		expect(slackMessagesAbout(publishId)).toEqual([
			expect.objectContaining({ body: { text: expect.stringMatching(BRANCH_TEXT.Published) } }),
		]);
	});

	it('refuses forged pushes with a 4xx and starts no execution for them', async () => {
		const before = await allExecutions();
		const forged = [
			{ mode: 'plain', tamper: 'signature' },
			{ mode: 'safe', tamper: 'msg_signature' },
			{ mode: 'safe', tamper: 'appid' },
			{ mode: 'plain', tamper: 'timestamp' },
		] as const;
		const forgedIds: string[] = [];
		for (const { mode, tamper } of forged) {
			const publishId = nextHandPublishId();
			forgedIds.push(publishId);
			const answer = await sandbox.pushEvent(publishJobFinish(publishId, 0), { mode, url: urlFor(mode), tamper });
			expect({ tamper, statusClass: Math.floor(answer.status / 100) * 100 }).toEqual({ tamper, statusClass: 400 });
			expect(answer.body).not.toBe('success');
		}
		// A valid push after them: once its execution is recorded, any the forged ones had
		// started would be too.
		const validId = nextHandPublishId();
		expect(await sandbox.pushEvent(publishJobFinish(validId, 0), { mode: 'safe', url: callbackUrl })).toEqual({
			status: 200,
			body: 'success',
		});
		await catcher.waitFor((request) => slackMessagesAbout(validId).includes(request));
		expect(await executionsOnceAtLeast(before + 1)).toBe(before + 1);
		for (const publishId of forgedIds) expect(slackMessagesAbout(publishId)).toEqual([]);
	});

	/** A raw POST of `body` under `query`, as an attacker holding a signed URL sends it. */
	async function rawPush(url: string, query: URLSearchParams, body: string): Promise<{ status: number; body: string; contentType: string }> {
		const answer = await fetch(`${url}?${query}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body });
		return { status: answer.status, body: await answer.text(), contentType: answer.headers.get('content-type') ?? '' };
	}

	/** A genuine push signed (and in safe mode encrypted) as WeChat sends it. */
	function genuine(publishId: string, mode: PushMode): { query: URLSearchParams; body: string } {
		const push = signPush(toXml(envelope(publishJobFinish(publishId, 0))), mode, sandbox.config);
		return { query: new URLSearchParams(push.query), body: push.body };
	}

	const phishing = (publishId: string) =>
		toXml(envelope({ MsgType: 'event', Event: 'PUBLISHJOBFINISH', PublishEventInfo: { publish_id: BigInt(publishId), publish_status: 0, article_detail: { count: 1, item: [{ idx: 1, article_url: 'https://phishing.example/' }] } } }));

	it.each([
		['a safe-mode URL with encrypt_type and msg_signature removed, and a plain body', 'safe'],
		['a safe-mode URL with encrypt_type=raw, and a plain body', 'safe'],
		['a plain signed URL reused with another body', 'plain'],
		['a 1 MiB aes flood under a signed URL', 'safe'],
	] as const)('refuses %s with a 4xx, no secret and no execution, then takes the next genuine push', async (name, mode) => {
		const before = await allExecutions();
		const url = urlFor(mode);
		const forgedId = nextHandPublishId();
		let answer;
		if (name.startsWith('a plain signed URL reused')) {
			const signed = genuine(nextHandPublishId(), 'plain');
			expect(await rawPush(url, signed.query, signed.body)).toMatchObject({ status: 200, body: 'success' });
			answer = await rawPush(url, signed.query, phishing(forgedId));
		} else if (name.startsWith('a 1 MiB')) {
			const signed = genuine(forgedId, 'safe');
			answer = await rawPush(url, signed.query, `<xml><Encrypt><![CDATA[${'A'.repeat(1024 * 1024 - 40)}]]></Encrypt></xml>`);
		} else {
			const { query } = genuine(nextHandPublishId(), 'safe');
			query.delete('msg_signature');
			if (name.includes('encrypt_type=raw')) query.set('encrypt_type', 'raw');
			else query.delete('encrypt_type');
			answer = await rawPush(url, query, phishing(forgedId));
		}
		expect(Math.floor(answer.status / 100)).toBe(4);
		for (const secret of [sandbox.config.token, sandbox.config.encodingAesKey, sandbox.config.appSecret]) {
			expect(answer.body).not.toContain(secret);
		}
		const next = nextHandPublishId();
		const signed = genuine(next, mode);
		// Accepted, and answered exactly `success` as text by n8n after it created the execution.
		expect(await rawPush(url, signed.query, signed.body)).toEqual({ status: 200, body: 'success', contentType: expect.stringMatching(/^text\/plain/) });
		await catcher.waitFor((request) => slackMessagesAbout(next).includes(request));
		const reusedGenuine = name.startsWith('a plain signed URL reused') ? 1 : 0;
		expect(await executionsOnceAtLeast(before + 1 + reusedGenuine)).toBe(before + 1 + reusedGenuine);
		expect(slackMessagesAbout(forgedId)).toEqual([]);
	});

	it("starts one execution for a push WeChat repeats, and one for the same push sent twice", async () => {
		const before = (await n8n.executions({ workflowId: route.id })).length;
		sandbox.configure({ duplicatePushes: 2 });
		const publishId = await publish(0, 'safe');
		const deliveries = sandbox.pushes.filter((push) => push.publishId === publishId);
		expect(deliveries.map((push) => [push.httpStatus, push.body])).toEqual([
			[200, 'success'],
			[200, 'success'],
			[200, 'success'],
		]);

		const handId = nextHandPublishId();
		for (let delivery = 0; delivery < 2; delivery++) {
			expect(await sandbox.pushEvent(publishJobFinish(handId, 2), { mode: 'safe', url: callbackUrl })).toEqual({
				status: 200,
				body: 'success',
			});
		}
		// A different event after the repeats: its execution is recorded after theirs would be.
		const closingId = nextHandPublishId();
		await sandbox.pushEvent(publishJobFinish(closingId, 5), { mode: 'safe', url: callbackUrl });
		await catcher.waitFor((request) => slackMessagesAbout(closingId).includes(request));
		expect(await executionCount(before + 3)).toBe(before + 3);
		expect(slackMessagesAbout(publishId)).toHaveLength(1);
		expect(slackMessagesAbout(handId)).toHaveLength(1);
	});
});
