import { ImageServer, WeChatSandbox } from '../sandbox';
import { sandboxCredential } from './harness/examples';
import { N8nInstance, nodeOutputs } from './harness/n8n';
import { chain, manualTriggerNode, workflow } from './harness/workflow-builders';

// Math and inline SVG through a real n8n: Draft → Create from Markdown with TeX and a raw SVG, the
// node loaded from dist/ with its bundled MathJax, to WeChat (the sandbox, whose draft/add keeps
// SVG as WeChat's editor does); Draft → Get reads back every drawing, nothing dropped.

const CREDENTIAL = { id: 'e2eMathCred0001', name: 'WeChat (sandbox)' };
const WORKFLOW_ID = 'e2eArticleMath01';

const MARKDOWN = [
	'Euler: $e^{i\\pi} + 1 = 0$, and \\(x^2\\). Tickets cost $5 to $10.',
	'',
	'$$',
	'\\begin{aligned} a &= b \\\\ c &= d \\end{aligned}',
	'$$',
	'',
	'<p><svg viewBox="0 0 10 10" width="40"><circle cx="5" cy="5" r="4" fill="#07c160"/><script>alert(1)</script></svg></p>',
	'',
	'Unknown: $\\nope$.',
].join('\n');

describe('math and inline SVG in a real n8n', () => {
	let sandbox: WeChatSandbox;
	let images: ImageServer;
	let n8n: N8nInstance;

	beforeAll(async () => {
		[sandbox, images] = await Promise.all([WeChatSandbox.start(), ImageServer.start()]);
		const wechat = (name: string, parameters: Record<string, unknown>, x: number) => ({
			id: name,
			name,
			type: 'CUSTOM.weChatOfficialAccount',
			typeVersion: 1,
			position: [x, 0],
			parameters,
			credentials: { weChatOfficialAccountApi: CREDENTIAL },
		});
		n8n = await N8nInstance.start({
			credentials: [sandboxCredential(sandbox, CREDENTIAL)],
			workflows: [
				workflow({
					id: WORKFLOW_ID,
					name: 'Math and SVG to a draft',
					nodes: [
						manualTriggerNode(),
						wechat(
							'Create Draft',
							{
								resource: 'draft',
								operation: 'create',
								contentFormat: 'markdown',
								articlesInput: 'fields',
								articles: { article: [{ title: 'Math in n8n', content: MARKDOWN, coverImage: `${images.url}/n/3.png` }] },
								options: { allowPrivateNetwork: true },
							},
							200,
						),
						wechat('Get Draft', { resource: 'draft', operation: 'get', mediaId: { __rl: true, mode: 'id', value: '={{ $json.media_id }}' } }, 400),
					],
					connections: chain('Start', 'Create Draft', 'Get Draft'),
				}),
			],
		});
	});

	afterAll(async () => {
		await n8n?.stop();
		await sandbox?.close();
		await images?.close();
	});

	it('draws the formulas, keeps the SVG through WeChat, leaves prices alone and names the TeX it could not draw', async () => {
		const result = await n8n.execute(WORKFLOW_ID);
		if (result.exitCode !== 0 || result.run?.status !== 'success') throw new Error(`n8n execute: exit ${result.exitCode}\n${result.output.slice(-3000)}`);
		const [created] = nodeOutputs(result.run.data, 'Create Draft')[0];
		expect(created.warnings).toEqual([
			'Article 1: Removed <script> from inline SVG: WeChat keeps only shapes, text and animations, and nothing that points outside.',
			'Article 1: Kept the math $\\nope$ as TeX, not drawn: Undefined control sequence \\nope.',
		]);
		// The draft as WeChat (the sandbox's draft/add) kept it, read back through the node.
		const [draft] = nodeOutputs(result.run.data, 'Get Draft')[0];
		const content = (draft.news_item as Array<{ content: string }>)[0].content;
		// Three formulas and the author's circle, as sent: WeChat's filter (the sandbox's) took nothing out.
		expect(content.match(/<svg\b/g)).toHaveLength(4);
		expect(content.match(/ viewBox="/g)).toHaveLength(4);
		expect(content.match(/<path\b/g)?.length).toBeGreaterThan(10);
		expect(content).toContain('<circle cx="5" cy="5" r="4" fill="#07c160"></circle>');
		expect(content).toContain('Tickets cost $5 to $10.');
		expect(content).toContain('$\\nope$</code>');
		expect(content).not.toMatch(/<script|alert|<defs|\sid=|data-mml/);
	});
});
