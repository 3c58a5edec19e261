import { N8nInstance, nodeOutputs } from './harness/n8n';
import { chain, manualTriggerNode, workflow } from './harness/workflow-builders';

// Article → Render in the real n8n: the node, loaded from dist/ with its bundled markdown-it (and
// plugins) and its own highlighter, runs with no credential at all and hands the rendered article to the
// next node; with Output HTML File, n8n's own Extract From File reads the .html page it made.

const RENDER = 'Render article';
const WORKFLOW_ID = 'e2eArticleRender1';
const PAGE_WORKFLOW_ID = 'e2eArticleRender2';
const READ_PAGE = 'Read the page';

function renderNode(content: string, options: Record<string, unknown>): Record<string, unknown> {
	return {
		id: 'render',
		name: RENDER,
		type: 'CUSTOM.weChatOfficialAccount',
		typeVersion: 1,
		position: [220, 0],
		parameters: { resource: 'article', operation: 'render', content, contentFormat: 'markdown', options },
	};
}

const WITH_FRONT_MATTER = [
	'---',
	'title: "Spring launch: 春季发布"',
	'author: Lin',
	'tags: [launch, n8n]',
	'---',
	'',
	'> [!WARNING]',
	'> **注意：**先在手机上预览。',
	'',
	'10. ten',
	'11. eleven',
].join('\n');

const pageWorkflow = workflow({
	id: PAGE_WORKFLOW_ID,
	name: 'Article render as an .html file',
	nodes: [
		manualTriggerNode(),
		renderNode(WITH_FRONT_MATTER, { outputBinary: true, binaryPropertyName: 'page' }),
		{
			id: 'read',
			name: READ_PAGE,
			type: 'n8n-nodes-base.extractFromFile',
			typeVersion: 1,
			position: [440, 0],
			parameters: { operation: 'text', binaryPropertyName: 'page', destinationKey: 'page' },
		},
	],
	connections: chain('Start', RENDER, READ_PAGE),
});

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
		renderNode(MARKDOWN, { theme: 'tech' }),
	],
	connections: chain('Start', RENDER),
});

/** A run that exited 0; otherwise the failure shows n8n's output without the run's JSON. */
function expectSuccess(result: { exitCode: number | null; output: string }): void {
	const log = result.output.replace(/\{[\s\S]*\}/, '{ …run… }').slice(-3000);
	expect({ exitCode: result.exitCode, output: result.exitCode === 0 ? '' : log }).toEqual({ exitCode: 0, output: '' });
}

describe('Article → Render in the real n8n', () => {
	let n8n: N8nInstance;

	beforeAll(async () => {
		n8n = await N8nInstance.start({ credentials: [], workflows: [renderWorkflow, pageWorkflow] });
	});

	afterAll(async () => {
		await n8n?.stop();
	});

	it('renders Markdown into WeChat-ready HTML without any credential', async () => {
		const result = await n8n.execute(WORKFLOW_ID);
		expectSuccess(result);
		expect(result.run?.status).toBe('success');
		const [[item]] = nodeOutputs(result.run!.data, RENDER);
		expect(Object.keys(item).sort()).toEqual(['fields', 'filledFrom', 'frontMatter', 'html', 'images', 'links', 'text', 'warnings']);
		// The leading heading became the title and left the body.
		expect(item.fields).toEqual({ title: 'Launch notes' });
		expect(item.html).not.toContain('Launch notes');
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

	it('returns front matter and the article as a 375 px .html page that n8n\'s own nodes can read', async () => {
		const result = await n8n.execute(PAGE_WORKFLOW_ID);
		expectSuccess(result);
		expect(result.run?.status).toBe('success');
		const [[rendered]] = nodeOutputs(result.run!.data, RENDER);
		expect(rendered.frontMatter).toEqual({ title: 'Spring launch: 春季发布', author: 'Lin', tags: ['launch', 'n8n'] });
		expect(rendered.fields).toEqual({ title: 'Spring launch: 春季发布', author: 'Lin' });
		expect(rendered.filledFrom).toEqual({ title: 'frontMatter', author: 'frontMatter' });
		expect(rendered.text).toBe('Warning\n注意：先在手机上预览。\n10. ten\n11. eleven');
		const [[read]] = nodeOutputs(result.run!.data, READ_PAGE);
		const page = read.page as string;
		expect(page).toMatch(/^<!DOCTYPE html>/);
		expect(page).toContain('max-width:375px');
		expect(page).toContain('>Spring launch: 春季发布</h1>');
		expect(page).toContain(rendered.html as string);
	});
});
