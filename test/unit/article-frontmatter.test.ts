import { renderArticle } from '../../nodes/wechat/article';
import { splitFrontMatter } from '../../nodes/wechat/article/frontMatter';
import { elements } from './article-helpers';

const markdown = (source: string, title?: string) => renderArticle(source, { format: 'markdown', title });

describe('Markdown front matter', () => {
	const hugo = [
		'---',
		'title: "Spring launch: what changed"',
		"author: 'Lin Wei'",
		'date: 2026-03-01',
		'draft: false',
		'weight: 10',
		'tags: [release, "n8n, wechat"]',
		'categories:',
		'  - news',
		'  - product # a comment',
		'description: >',
		'  The launch, in',
		'  two lines.',
		'cover: https://example.com/cover.jpg',
		'params:',
		'  canonical: https://example.com/spring',
		'---',
		'',
		'Body text.',
	].join('\n');

	it('is never rendered, and never reaches the plain text', () => {
		const { html, text } = markdown(hugo);
		expect(text).toBe('Body text.');
		expect(html).not.toContain('title');
		expect(elements(html, 'hr')).toEqual([]);
		expect(elements(html, 'h2')).toEqual([]);
	});

	it('is returned parsed: scalars, quoted strings, flow and block lists, folded text, one level of nesting', () => {
		expect({ ...markdown(hugo).frontMatter }).toEqual({
			title: 'Spring launch: what changed',
			author: 'Lin Wei',
			date: '2026-03-01',
			draft: false,
			weight: 10,
			tags: ['release', 'n8n, wechat'],
			categories: ['news', 'product'],
			description: 'The launch, in two lines.',
			cover: 'https://example.com/cover.jpg',
			params: { canonical: 'https://example.com/spring' },
		});
	});

	it('gives title, author, digest and cover, and says they came from it', () => {
		const { fields, filledFrom } = markdown(hugo);
		expect(fields).toEqual({
			title: 'Spring launch: what changed',
			author: 'Lin Wei',
			digest: 'The launch, in two lines.',
			coverImage: 'https://example.com/cover.jpg',
		});
		expect(filledFrom).toEqual({ title: 'frontMatter', author: 'frontMatter', digest: 'frontMatter', coverImage: 'frontMatter' });
	});

	it('reads summary and source, and leaves out a cover or source link that is not an absolute URL, with a warning', () => {
		const { fields, warnings } = markdown('---\nsummary: Short\nsource: https://example.com/a\nimage: /img/cover.png\n---\nx');
		expect(fields).toEqual({ digest: 'Short', content_source_url: 'https://example.com/a' });
		expect(warnings).toEqual(['The front matter\'s cover "/img/cover.png" is not an absolute URL, so it was not used.']);
	});

	it('reads TOML between +++ lines', () => {
		const { fields, frontMatter, text } = markdown('+++\ntitle = "Hello"\ntags = ["a", "b"]\ndraft = true\n[extra]\nurl = "https://example.com/x"\n+++\nBody');
		expect(fields).toEqual({ title: 'Hello' });
		expect({ ...frontMatter, extra: { ...(frontMatter.extra as object) } }).toEqual({
			title: 'Hello', tags: ['a', 'b'], draft: true, extra: { url: 'https://example.com/x' },
		});
		expect(text).toBe('Body');
	});

	it('executes nothing and builds no prototype: tags, anchors and __proto__ are plain text', () => {
		const { data } = splitFrontMatter('---\n__proto__: polluted\nconstructor: x\nevil: !!js/function "function () {}"\n---\n');
		expect(data.evil).toBe('!!js/function "function () {}"');
		expect(Object.getPrototypeOf(data)).toBeNull();
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});

	it('counts only at the very top, and only when closed; HTML content keeps it as text', () => {
		expect(markdown('Intro\n\n---\ntitle: x\n---\n').frontMatter).toEqual({});
		expect(markdown('---\ntitle: never closed\n').text).toContain('title: never closed');
		expect(renderArticle('---\ntitle: x\n---\n<p>y</p>', { format: 'html' }).fields).toEqual({});
	});
});

describe('A leading # Heading', () => {
	it('becomes the title when nothing else gives one, and leaves the body', () => {
		const { fields, filledFrom, html, text } = markdown('# The title\n\nBody.');
		expect(fields.title).toBe('The title');
		expect(filledFrom.title).toBe('heading');
		expect(elements(html, 'h1')).toEqual([]);
		expect(text).toBe('Body.');
	});

	it('leaves the body when it repeats the given title, and stays when it does not', () => {
		expect(elements(markdown('#  Same   title\n\nBody.', 'Same title').html, 'h1')).toEqual([]);
		expect(elements(markdown('# Other\n\nBody.', 'Given').html, 'h1')).toHaveLength(1);
	});

	it('repeating the front matter title leaves the body; a different one stays, the front matter title wins', () => {
		const same = markdown('---\ntitle: T\n---\n# T\n\nBody');
		expect(elements(same.html, 'h1')).toEqual([]);
		const other = markdown('---\ntitle: T\n---\n# Chapter one\n\nBody');
		expect(other.fields.title).toBe('T');
		expect(other.filledFrom.title).toBe('frontMatter');
		expect(elements(other.html, 'h1')).toHaveLength(1);
	});

	it('counts only as the first block, and only as h1', () => {
		expect(markdown('Intro\n\n# Later').fields.title).toBeUndefined();
		expect(markdown('## Second level\n\nBody').fields.title).toBeUndefined();
	});
});
