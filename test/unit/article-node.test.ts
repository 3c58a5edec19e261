import { NodeHelpers, type INodeCredentialDescription, type INodeProperties } from 'n8n-workflow';

import { renderArticle, THEMES } from '../../nodes/wechat/article';
import { WeChatOfficialAccount } from '../../nodes/WeChatOfficialAccount/WeChatOfficialAccount.node';
import { createExecuteFunctions } from '../helpers/executeFunctions';

const description = new WeChatOfficialAccount().description;
const credential = description.credentials?.[0] as INodeCredentialDescription;

function parameter(name: string, resource = 'article', operation = 'render'): INodeProperties {
	const values = { resource, operation };
	const found = description.properties.filter(
		(property) => property.name === name && NodeHelpers.displayParameter(values, property, { typeVersion: 1 }, description),
	);
	if (found.length !== 1) throw new Error(`expected one parameter "${name}" for ${resource}/${operation}, found ${found.length}`);
	return found[0];
}

async function render(parameters: object | object[], options: { continueOnFail?: boolean; items?: number } = {}) {
	const functions = createExecuteFunctions({
		parameters: parameters as never,
		items: Array.from({ length: options.items ?? 1 }, () => ({ json: {} })),
		continueOnFail: options.continueOnFail,
	});
	const output = await new WeChatOfficialAccount().execute.call(functions);
	return { items: output[0], sent: functions.sent };
}

describe('Article → Render: description', () => {
	it('is the resource article with the operation render', () => {
		const resource = parameter('resource');
		expect(resource.options).toContainEqual(expect.objectContaining({ name: 'Article', value: 'article' }));
		expect(parameter('operation').options).toEqual([expect.objectContaining({ value: 'render', name: 'Render' })]);
	});

	it('takes content, contentFormat and the options linkFootnotes and theme', () => {
		expect(parameter('content')).toMatchObject({ type: 'string', required: true });
		expect(parameter('contentFormat').options?.map((option) => (option as { value: string }).value).sort()).toEqual(['html', 'markdown']);
		const options = parameter('options').options as INodeProperties[];
		expect(options.map((option) => option.name)).toEqual(['linkFootnotes', 'outputBinary', 'binaryPropertyName', 'theme']);
		expect(options[0]).toMatchObject({ type: 'boolean', default: true });
		expect(options[1]).toMatchObject({ type: 'boolean', default: false });
		expect(options[3].options?.map((option) => (option as { value: string }).value)).toEqual([...THEMES]);
		for (const option of options[3].options ?? []) expect((option as { description?: string }).description).toBeTruthy();
	});

	it('needs no credential, while every WeChat resource still requires one', () => {
		expect(credential).toMatchObject({ name: 'weChatOfficialAccountApi', required: true });
		const shown = (resource: string, operation: string) =>
			NodeHelpers.displayParameter({ resource, operation }, credential, { typeVersion: 1 }, description);
		expect(shown('article', 'render')).toBe(false);
		for (const [resource, operation] of [['publish', 'submit'], ['draft', 'create'], ['draft', 'update'], ['image', 'uploadCover']]) {
			expect(shown(resource, operation)).toBe(true);
		}
	});
});

describe('Article → Render: execution', () => {
	it('renders each item without a credential and without any HTTP request', async () => {
		const { items, sent } = await render([
			{ resource: 'article', operation: 'render', content: '# One\n\n[a](https://a.example)', contentFormat: 'markdown', options: {} },
			{ resource: 'article', operation: 'render', content: '<p>Two <script>x</script></p>', contentFormat: 'html', options: { linkFootnotes: false, theme: 'tech' } },
		], { items: 2 });
		expect(sent).toEqual([]);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(items[0].json).toEqual({ ...renderArticle('# One\n\n[a](https://a.example)', { format: 'markdown' }) });
		expect(Object.keys(items[0].json).sort()).toEqual(['fields', 'filledFrom', 'frontMatter', 'html', 'images', 'links', 'text', 'warnings']);
		expect(items[1].json).toEqual({ ...renderArticle('<p>Two <script>x</script></p>', { format: 'html', theme: 'tech', linkFootnotes: false }) });
		expect(items[1].json.warnings).toEqual(['Removed <script> elements: WeChat articles cannot hold them.']);
	});

	it('returns the article as a 375 px .html page in the binary property chosen, its JSON unchanged', async () => {
		const content = '---\ntitle: "Spring: launch"\nauthor: Lin\n---\nBody **text**.';
		const { items } = await render([
			{ resource: 'article', operation: 'render', content, contentFormat: 'markdown', options: { outputBinary: true, binaryPropertyName: 'page' } },
			{ resource: 'article', operation: 'render', content, contentFormat: 'markdown', options: {} },
		], { items: 2 });
		expect(items[0].json).toEqual(items[1].json);
		expect(items[1].binary).toBeUndefined();
		const file = items[0].binary?.page;
		expect(file).toMatchObject({ mimeType: 'text/html', fileName: 'Spring-launch.html' });
		const page = Buffer.from(file!.data, 'base64').toString('utf8');
		expect(page).toMatch(/^<!DOCTYPE html>/);
		expect(page).toContain('max-width:375px');
		expect(page).toContain('>Spring: launch</h1>');
		expect(page).toContain('>Lin</p>');
		expect(page).toContain(items[0].json.html as string);
	});

	it('fails the item that names an unknown theme, saying which themes exist', async () => {
		const parameters = { resource: 'article', operation: 'render', content: 'x', contentFormat: 'markdown', options: { theme: 'neon' } };
		await expect(render(parameters)).rejects.toThrow(`Unknown theme "neon": use one of ${THEMES.join(', ')}`);
		const { items } = await render([{ ...parameters, options: {} }, parameters], { continueOnFail: true, items: 2 });
		expect(items[0].json.html).toEqual(expect.stringContaining('<section'));
		expect(items[1].json).toEqual({ error: { message: expect.stringContaining('Unknown theme "neon"'), errcode: null, outcomeUnknown: false } });
	});

	it('refuses content that is not text', async () => {
		await expect(
			render({ resource: 'article', operation: 'render', content: { html: '<p>x</p>' }, contentFormat: 'html', options: {} }),
		).rejects.toThrow('Content must be text (Markdown or HTML)');
	});
});
