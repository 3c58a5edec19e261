import { ImageServer, WeChatSandbox } from '../sandbox';
import { sandboxCredential } from './harness/examples';
import { N8nInstance, nodeOutputs, type WorkflowJson } from './harness/n8n';
import { manualTriggerNode, workflow } from './harness/workflow-builders';

// The title limit as WeChat applies it, in a real n8n: a Markdown article with an ordinary
// 40-character Chinese title becomes a draft (the draft/add page's 32 would refuse it); 65
// characters are refused before any call, and the error names the limit.

const CREDENTIAL = { id: 'e2eLimitsCred001', name: 'WeChat (sandbox)' };
const TITLE_40 = '微信公众号自动化发布：从Markdown草稿到群发通知，完整流程与十二个常见问题';
const TITLE_65 = '标'.repeat(65);

function draftWorkflow(id: string, title: string, coverImage: string): WorkflowJson {
	return workflow({
		id,
		name: `Limits ${id}`,
		active: false,
		nodes: [
			manualTriggerNode(),
			{
				id: 'Create Draft',
				name: 'Create Draft',
				type: 'CUSTOM.weChatOfficialAccount',
				typeVersion: 1,
				position: [220, 0],
				credentials: { weChatOfficialAccountApi: CREDENTIAL },
				parameters: {
					resource: 'draft',
					operation: 'create',
					contentFormat: 'markdown',
					articlesInput: 'fields',
					articles: { article: [{ title, content: '## 小标题\n\n正文第一段，**加粗**的文字。', coverImage }] },
					options: { allowPrivateNetwork: true },
				},
			},
			{
				id: 'Get Draft',
				name: 'Get Draft',
				type: 'CUSTOM.weChatOfficialAccount',
				typeVersion: 1,
				position: [440, 0],
				credentials: { weChatOfficialAccountApi: CREDENTIAL },
				parameters: { resource: 'draft', operation: 'get', mediaId: { __rl: true, mode: 'id', value: '={{ $json.media_id }}' } },
			},
		],
		connections: {
			Start: { main: [[{ node: 'Create Draft', type: 'main', index: 0 }]] },
			'Create Draft': { main: [[{ node: 'Get Draft', type: 'main', index: 0 }]] },
		},
	});
}

describe('title limits in a real n8n', () => {
	let sandbox: WeChatSandbox;
	let images: ImageServer;
	let n8n: N8nInstance;

	beforeAll(async () => {
		[sandbox, images] = await Promise.all([WeChatSandbox.start(), ImageServer.start()]);
		n8n = await N8nInstance.start({
			credentials: [sandboxCredential(sandbox, CREDENTIAL)],
			workflows: [draftWorkflow('e2eLimitsTitle40', TITLE_40, `${images.url}/n/3.png`), draftWorkflow('e2eLimitsTitle65', TITLE_65, `${images.url}/n/3.png`)],
		});
	});

	afterAll(async () => {
		await n8n?.stop();
		await sandbox?.close();
		await images?.close();
	});

	it('a Markdown article with a 40-character Chinese title becomes a draft', async () => {
		expect(Array.from(TITLE_40)).toHaveLength(40);
		const result = await n8n.execute('e2eLimitsTitle40');
		if (result.exitCode !== 0 || result.run?.status !== 'success') throw new Error(`n8n execute: exit ${result.exitCode}\n${result.output.slice(-3000)}`);
		const [created] = nodeOutputs(result.run.data, 'Create Draft')[0];
		expect(created.media_id).toEqual(expect.any(String));
		expect(sandbox.count('/cgi-bin/draft/add')).toBe(1);
		const [stored] = nodeOutputs(result.run.data, 'Get Draft')[0];
		expect((stored.news_item as Array<{ title: string }>)[0].title).toBe(TITLE_40);
	});

	it('a 65-character title is refused before any call, naming the limit', async () => {
		sandbox.resetCounts();
		const result = await n8n.execute('e2eLimitsTitle65');
		expect(result.run?.status).not.toBe('success');
		expect(result.output).toContain('Article 1: Title has 65 characters; WeChat allows at most 64 (draft/add would answer errcode 45003)');
		expect(sandbox.counts()).toEqual({});
	});
});
