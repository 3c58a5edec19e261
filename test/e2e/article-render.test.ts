import { N8nInstance, nodeOutputs } from './harness/n8n';
import { chain, manualTriggerNode, workflow } from './harness/workflow-builders';

// Article → Render in the real n8n: the node, loaded from dist/ with its bundled markdown-it and
// highlight.js, runs with no credential at all and hands the rendered article to the next node.

const RENDER = 'Render article';
const WORKFLOW_ID = 'e2eArticleRender1';

const MARKDOWN = [
	'# Launch notes',
	'',
	'Read [the guide](https://example.com/guide) and [our last post](https://mp.weixin.qq.com/s/abc).',
	'',
	'- one',
	'  - nested',
	'',
	'```js',
	'const answer = 42;',
	'```',
	'',
	'![Cover](binary:cover "The cover")',
	'',
	'<script>alert(1)</script>',
].join('\n');

const renderWorkflow = workflow({
	id: WORKFLOW_ID,
	name: 'Article render, no credential',
	nodes: [
		manualTriggerNode(),
		{
			id: 'render',
			name: RENDER,
			type: 'CUSTOM.weChatOfficialAccount',
			typeVersion: 1,
			position: [220, 0],
			parameters: {
				resource: 'article',
				operation: 'render',
				content: MARKDOWN,
				contentFormat: 'markdown',
				options: { theme: 'tech' },
			},
		},
	],
	connections: chain('Start', RENDER),
});

describe('Article → Render in the real n8n', () => {
	let n8n: N8nInstance;

	beforeAll(async () => {
		n8n = await N8nInstance.start({ credentials: [], workflows: [renderWorkflow] });
	});

	afterAll(async () => {
		await n8n?.stop();
	});

	it('renders Markdown into WeChat-ready HTML without any credential', async () => {
		const result = await n8n.execute(WORKFLOW_ID);
		expect(result.exitCode).toBe(0);
		expect(result.run?.status).toBe('success');
		const [[item]] = nodeOutputs(result.run!.data, RENDER);
		expect(Object.keys(item).sort()).toEqual(['html', 'images', 'links', 'text', 'warnings']);
		const html = item.html as string;
		expect(html).toMatch(/^<section style="[^"]*font-size:16px/);
		expect(html).not.toMatch(/<script|<style|class=/);
		expect(html).toContain('#282c34'); // the tech theme's dark code block
		expect(html).toMatch(/<span style="color:#[0-9a-f]{6};">const<\/span>/);
		expect(item.text).toContain('Read the guide[1] and our last post.');
		expect(item.images).toEqual([{ src: 'binary:cover', alt: 'Cover', position: 1 }]);
		expect(item.links).toEqual([
			{ href: 'https://example.com/guide', text: 'the guide', footnote: 1 },
			{ href: 'https://mp.weixin.qq.com/s/abc', text: 'our last post' },
		]);
		expect(item.warnings).toEqual(['Removed <script> elements: WeChat articles cannot hold them.']);
	});
});
