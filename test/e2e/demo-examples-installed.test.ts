import { WeChatSandbox } from '../sandbox';
import { installedPackageEnv, readExample, sandboxCredential, triggerWebhookPath, wechatUrlCheck } from './harness/examples';
import { N8nInstance, type WorkflowJson } from './harness/n8n';

/**
 * The example files exactly as a user imports them, into n8n 2.41.1 with this package installed
 * as a community package: every node type resolves at the version the files use (the AI agent
 * example's included: n8n's agent, chat model, Slack send-and-wait and our node as a tool), the
 * trigger workflow activates, and with a credential saved under the files' placeholder id its
 * production URL answers WeChat's URL check.
 */

const PACKAGE_TYPES = [
	'n8n-nodes-wechat-publish.weChatOfficialAccount',
	'n8n-nodes-wechat-publish.weChatOfficialAccountTrigger',
	'n8n-nodes-wechat-publish.weChatOfficialAccountTool',
];

describe('the example files, unchanged, in n8n with the package installed', () => {
	let sandbox: WeChatSandbox;
	let n8n: N8nInstance;
	let installed: ReturnType<typeof installedPackageEnv>;
	const files: WorkflowJson[] = [readExample('publish'), readExample('route'), readExample('draft'), readExample('aiAgent'), readExample('publishHtml'), readExample('massSend'), readExample('weeklyReport'), readExample('commentInbox')];

	beforeAll(async () => {
		sandbox = await WeChatSandbox.start();
		installed = installedPackageEnv();
		const placeholder = files[1].nodes.find((node) => node.name === 'WeChat Trigger')!.credentials as Record<string, { id: string; name: string }>;
		n8n = await N8nInstance.start({
			credentials: [sandboxCredential(sandbox, placeholder.weChatOfficialAccountApi)],
			workflows: files.map((file) => (file === files[1] ? { ...file, active: true } : file)),
			env: installed.env,
		});
	});

	afterAll(async () => {
		await n8n?.stop();
		await sandbox?.close();
		installed?.remove();
	});

	it('knows every node type the files use', async () => {
		const nodes = files.flatMap((workflow) => workflow.nodes);
		expect(nodes.map((node) => node.type)).toEqual(expect.arrayContaining(PACKAGE_TYPES));
		const types = nodes.map((node) => ({ name: String(node.type), version: Number(node.typeVersion) }));
		expect(await n8n.unknownNodeTypes(types)).toEqual([]);
		expect(await n8n.unknownNodeTypes([{ name: 'n8n-nodes-wechat-publish.noSuchNode', version: 1 }, { name: 'n8n-nodes-base.slack', version: 99 }])).toEqual([
			'n8n-nodes-wechat-publish.noSuchNode@1',
			'n8n-nodes-base.slack@99',
		]);
	});

	it('holds each workflow as the file has it, the trigger workflow active', async () => {
		for (const file of files) {
			const stored = (await n8n.api('GET', `/workflows/${file.id}`)) as WorkflowJson;
			expect(stored.name).toBe(file.name);
			expect(stored.nodes.map((node) => [node.name, node.type])).toEqual(file.nodes.map((node) => [node.name, node.type]));
			expect(stored.connections).toEqual(file.connections);
			expect(stored.active).toBe(file === files[1]);
		}
	});

	it("answers WeChat's URL check on the trigger's production URL", async () => {
		const answer = await wechatUrlCheck(n8n.webhookUrl(triggerWebhookPath(files[1])), sandbox.config.token, 'installed-echo-2047');
		expect(answer.status).toBe(200);
		expect(await answer.text()).toBe('installed-echo-2047');
	});
});
