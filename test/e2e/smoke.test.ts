import { computeSignature } from '../../nodes/wechat/signature';
import { Catcher } from './harness/catcher';
import { N8nInstance, nodeOutputs, type CredentialJson, type WorkflowJson } from './harness/n8n';
import { chain, httpPostNode, manualTriggerNode, webhookNode, weChatTriggerNode, workflow } from './harness/workflow-builders';

// Proves the harness against a real n8n: our dist/ loads, an active workflow answers its
// production webhook and reaches the catcher, a manual workflow runs through `n8n execute`,
// the executions show up in n8n's API, and our trigger activates and answers WeChat's URL check.

const WEBHOOK_PATH = 'e2e-smoke';
const CALLBACK_TOKEN = 'smokeCallbackToken';
const TRIGGER_WEBHOOK_ID = '0d3c5a4e-7b21-4f6a-8e9d-2c1b0a9f8e7d';

const credential: CredentialJson = {
	id: 'e2eSmokeWeChat01',
	name: 'WeChat (smoke, nothing listens)',
	type: 'weChatOfficialAccountApi',
	data: {
		appId: 'wxsmoke0000000001',
		appSecret: 'smoke-app-secret',
		baseUrl: 'http://127.0.0.1:9',
		authMode: 'stable',
		token: CALLBACK_TOKEN,
		encodingAesKey: '',
	},
};

const POST = 'Post to catcher';

function webhookWorkflow(catcherUrl: string): WorkflowJson {
	return workflow({
		id: 'e2eSmokeWebhook1',
		name: 'Smoke: webhook to catcher',
		active: true,
		nodes: [
			webhookNode(WEBHOOK_PATH, '6f0b7e1c-2d4a-4c3e-9a51-0c8d2b7e4f10'),
			httpPostNode(POST, `${catcherUrl}/webhook-run`, '={{ JSON.stringify({ received: $json.body }) }}'),
		],
		connections: chain('Webhook', POST),
	});
}

function manualWorkflow(catcherUrl: string): WorkflowJson {
	return workflow({
		id: 'e2eSmokeManual01',
		name: 'Smoke: manual run to catcher',
		nodes: [manualTriggerNode(), httpPostNode(POST, `${catcherUrl}/manual-run`, '={{ JSON.stringify({ from: "manual" }) }}')],
		connections: chain('Start', POST),
	});
}

// Version 1 of the trigger: the examples and the bench use version 2, so this keeps 1 covered.
const triggerWorkflow = workflow({
	id: 'e2eSmokeTrigger1',
	name: 'Smoke: WeChat trigger',
	active: true,
	nodes: [weChatTriggerNode({ webhookId: TRIGGER_WEBHOOK_ID, typeVersion: 1, credential })],
	connections: {},
});

describe('the real n8n harness', () => {
	let catcher: Catcher;
	let n8n: N8nInstance;

	beforeAll(async () => {
		catcher = await Catcher.start();
		n8n = await N8nInstance.start({
			credentials: [credential],
			workflows: [webhookWorkflow(catcher.url), manualWorkflow(catcher.url), triggerWorkflow],
		});
		process.stderr.write(`e2e smoke: n8n start phases ${JSON.stringify(n8n.timings)}\n`);
	});

	afterAll(async () => {
		await n8n?.stop();
		await catcher?.close();
	});

	it('loads our nodes from dist/ under the CUSTOM prefix', async () => {
		const ours = ['CUSTOM.weChatOfficialAccount', 'CUSTOM.weChatOfficialAccountTrigger'];
		expect(await n8n.unknownNodeTypes([...ours, 'n8n-nodes-base.webhook'])).toEqual([]);
		expect(await n8n.unknownNodeTypes(['CUSTOM.noSuchNode'])).toEqual(['CUSTOM.noSuchNode']);
	});

	it('runs an active workflow from its production webhook to the catcher', async () => {
		const response = await fetch(n8n.webhookUrl(WEBHOOK_PATH), {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ greeting: 'hello from the smoke test' }),
		});
		expect(response.status).toBe(200);

		const caught = await catcher.waitFor((request) => request.path === '/webhook-run');
		expect(caught.method).toBe('POST');
		expect(caught.body).toEqual({ received: { greeting: 'hello from the smoke test' } });

		const [execution] = await n8n.waitForExecutions('e2eSmokeWebhook1', 1);
		expect(execution).toMatchObject({ mode: 'webhook', status: 'success' });
		expect(nodeOutputs(execution.data!, 'Webhook')[0][0]).toMatchObject({
			body: { greeting: 'hello from the smoke test' },
		});
	});

	it('runs a manual workflow once with n8n execute while the server runs', async () => {
		const result = await n8n.execute('e2eSmokeManual01');
		expect(result.exitCode).toBe(0);
		expect(result.run?.status).toBe('success');
		expect(nodeOutputs(result.run!.data, POST)).toHaveLength(1);

		const caught = await catcher.waitFor((request) => request.path === '/manual-run');
		expect(caught.body).toEqual({ from: 'manual' });
		const executions = await n8n.executions({ workflowId: 'e2eSmokeManual01' });
		expect(executions.map((execution) => execution.mode)).toEqual(['cli']);
	});

	it('refuses a webhook path that no workflow registered', async () => {
		const response = await fetch(n8n.webhookUrl('no-such-path'), { method: 'POST' });
		expect(response.status).toBe(404);
	});

	it("activates our trigger, whose production URL answers WeChat's URL check with the echostr", async () => {
		const urlCheck = (signature: string) => {
			const query = new URLSearchParams({ signature, timestamp, nonce: '1234567', echostr: 'smoke-echo-5821' });
			return fetch(`${n8n.webhookUrl(`${TRIGGER_WEBHOOK_ID}/webhook`)}?${query}`);
		};
		const timestamp = String(Math.floor(Date.now() / 1000));

		const verified = await urlCheck(computeSignature(CALLBACK_TOKEN, timestamp, '1234567'));
		expect(verified.status).toBe(200);
		expect(await verified.text()).toBe('smoke-echo-5821');

		const forged = await urlCheck(computeSignature('not-the-token', timestamp, '1234567'));
		expect(forged.status).toBeGreaterThanOrEqual(400);
		expect(forged.status).toBeLessThan(500);
		expect(await forged.text()).not.toContain('smoke-echo-5821');
	});
});
