import { renderArticle, THEMES } from '../../nodes/wechat/article';
import { WORD_JOINER } from '../../nodes/wechat/article/references';
import { elements, only, styleOf, textOf } from './article-helpers';

const markdown = (source: string, theme?: string) => renderArticle(source, { format: 'markdown', theme, title: 'T' });
const px = (value: string | undefined) => Number.parseFloat(value ?? '');
const em = (value: string | undefined) => Number.parseFloat(value ?? '');

describe('Markdown rendering: the fixes', () => {
	it('gives a footnote of several paragraphs a section of paragraphs: never <p> in <p>', () => {
		const { html, text } = markdown('Claim[^long].\n\n[^long]: First paragraph.\n\n    Second paragraph.');
		const nested = elements(html, 'p').filter((paragraph) => paragraph.children.some((child) => child.type === 'element' && child.tag === 'p'));
		expect(nested).toEqual([]);
		expect(text.split('\n').slice(-2)).toEqual(['[1] First paragraph.', 'Second paragraph.']);
		const entry = elements(html, 'section').filter((node) => textOf(node).startsWith('[1] First')).pop();
		expect(entry?.children.map((child) => (child as { tag?: string }).tag)).toEqual(['p', 'p']);
	});

	it('sizes an ordered list\'s marker box to its longest number, so 10 and 100 never touch their text', () => {
		for (const [count, digits] of [[9, 1], [12, 2], [105, 3]]) {
			const source = Array.from({ length: count }, (_, index) => `${index + 1}. item`).join('\n');
			const items = elements(markdown(source).html, 'li');
			const marker = items[items.length - 1].children[0] as ReturnType<typeof only>;
			expect(textOf(marker)).toBe(`${count}. `);
			const width = em(styleOf(marker).width);
			// A digit is at most 0.6em wide in the themes' fonts, the dot 0.3em; at least 0.4em stays between.
			expect(width).toBeGreaterThanOrEqual(digits * 0.6 + 0.3 + 0.4);
			expect(em(styleOf(items[0])['padding-left'])).toBe(width);
			expect(styleOf(items[0])['text-indent']).toBe(`-${width}em`);
		}
	});

	it('reads CJK emphasis next to full-width punctuation: **注意：**后文', () => {
		const { html } = markdown('**注意：**后文不再重复。**重点。**其后');
		expect(html).not.toContain('**');
		expect(elements(html, 'strong').map(textOf)).toEqual(['注意：', '重点。']);
	});

	it('never makes h5 or h6 smaller than body text, in any theme', () => {
		for (const theme of THEMES) {
			const { html } = markdown('Body\n\n#### Four\n\n##### Five\n\n###### Six', theme);
			const body = px(styleOf(elements(html, 'section')[0])['font-size']);
			for (const tag of ['h4', 'h5', 'h6']) expect(px(styleOf(only(html, tag))['font-size'])).toBeGreaterThanOrEqual(body);
		}
	});

	it('keeps images sharing a paragraph in a row, and a lone image a block', () => {
		const row = markdown('![a](https://img.example/a.svg) ![b](https://img.example/b.svg) ![c](https://img.example/c.svg)').html;
		for (const image of elements(row, 'img')) expect(styleOf(image).display).toBe('inline-block');
		const lone = markdown('![a](https://img.example/a.png)').html;
		expect(styleOf(only(lone, 'img')).display).toBe('block');
		const badges = markdown('[![build](https://img.example/b.svg)](https://ci.example) [![npm](https://img.example/n.svg)](https://npm.example)').html;
		for (const image of elements(badges, 'img')) expect(styleOf(image).display).toBe('inline-block');
	});

	it('keeps a reference mark on the line of the text before it (a word joiner), also after 》', () => {
		const { html, text } = markdown('见《[规范](https://example.com/spec)》[^n]。\n\n[^n]: 注。');
		expect(html).toContain(`规范${WORD_JOINER}<sup`);
		expect(html).toContain(`》${WORD_JOINER}<sup`);
		expect(text).not.toContain(WORD_JOINER);
		expect(text.split('\n')[0]).toBe('见《规范[1]》[2]。');
	});

	it('puts no reference mark into a heading; the link keeps its text and stays in links', () => {
		const { html, links } = markdown('## See [the guide](https://example.com/guide)\n\nAnd [more](https://example.com/more).');
		const heading = only(html, 'h2');
		expect(textOf(heading)).toBe('See the guide');
		expect(links).toEqual([
			{ href: 'https://example.com/guide', text: 'the guide' },
			{ href: 'https://example.com/more', text: 'more', footnote: 1 },
		]);
	});

	it('lets long identifiers in table cells wrap', () => {
		const { html } = markdown('| name | use |\n|---|---|\n| `WECHAT_OFFICIAL_ACCOUNT_TOKEN_SERVICE_URL` | where tokens come from |');
		const code = only(html, 'code');
		expect(styleOf(code)['word-break']).toBe('break-all');
		expect(styleOf(code)['overflow-wrap']).toBe('anywhere');
		expect(styleOf(only(markdown('Some `inline_identifier` here').html, 'code'))['word-break']).toBeUndefined();
	});

	it('renders ==mark== and ++underline++ with inline styles', () => {
		const { html } = markdown('A ==marked== and ++underlined++ word.');
		expect(textOf(only(html, 'mark'))).toBe('marked');
		expect(styleOf(only(html, 'mark')).background).toBeTruthy();
		expect(textOf(only(html, 'ins'))).toBe('underlined');
		expect(styleOf(only(html, 'ins'))['text-decoration']).toBe('underline');
	});
});

describe('Themes: what was taken from the best-known Markdown → WeChat tool', () => {
	it('gives quotes the body text colour (contrast) on their tinted ground, in every theme', () => {
		for (const theme of THEMES) {
			const { html } = markdown('Body\n\n> quoted', theme);
			const root = styleOf(elements(html, 'section')[0]);
			const quote = styleOf(only(html, 'blockquote'));
			expect(quote.color).toBe(root.color);
			expect(quote.background).toBeTruthy();
		}
	});

	it('marks each default heading level its own way: h1 underlined, h2 a tinted band, h3 a bar, sizes descending', () => {
		const { html } = markdown('# One\n\n## Two\n\n### Three\n\n#### Four');
		const [h1, h2, h3, h4] = ['h1', 'h2', 'h3', 'h4'].map((tag) => styleOf(only(html, tag)));
		expect(h1['border-bottom']).toMatch(/solid/);
		expect(h2.background).toBeTruthy();
		expect(h3['border-left']).toMatch(/solid/);
		const sizes = [h1, h2, h3, h4].map((style) => px(style['font-size']));
		expect([...sizes].sort((a, b) => b - a)).toEqual(sizes);
		expect(new Set(sizes).size).toBe(4);
	});

	it('rounds code blocks and gives light ones an edge on the white page', () => {
		for (const theme of THEMES) {
			const pre = styleOf(only(markdown('```js\nlet a = 1;\n```', theme).html, 'pre'));
			expect(pre['border-radius']).toBe('8px');
			expect(pre.border).toBeDefined();
		}
		expect(styleOf(only(markdown('```js\nx\n```').html, 'pre')).border).toMatch(/1px solid/);
	});
});
