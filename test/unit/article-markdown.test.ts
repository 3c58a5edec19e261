import { DEFAULT_THEME, renderArticle, THEMES } from '../../nodes/wechat/article';
import { elements, only, styleOf, textOf } from './article-helpers';

const markdown = (source: string, theme?: string) => renderArticle(source, { format: 'markdown', theme });

describe('Markdown rendering: each construct', () => {
	it('renders headings h1 to h6, each with a font size or weight of its own', () => {
		const source = '# One\n\n## Two\n\n### Three\n\n#### Four\n\n##### Five\n\n###### Six';
		const { html } = renderArticle(source, { format: 'markdown', title: 'Another title' });
		for (const [level, label] of ['One', 'Two', 'Three', 'Four', 'Five', 'Six'].entries()) {
			const heading = only(html, `h${level + 1}`);
			expect(textOf(heading)).toBe(label);
			expect(styleOf(heading)['font-weight']).toBe('bold');
			expect(styleOf(heading)['font-size']).toMatch(/^\d+px$/);
		}
	});

	it('renders paragraphs, emphasis, strong, strikethrough and inline code with inline styles', () => {
		const { html } = markdown('Plain *em* and **strong**, ~~gone~~ and `code <b>`.\n\nSecond paragraph.');
		expect(elements(html, 'p').map(textOf)).toEqual(['Plain em and strong, gone and code <b>.', 'Second paragraph.']);
		expect(styleOf(only(html, 'em'))['font-style']).toBe('italic');
		expect(styleOf(only(html, 'strong'))['font-weight']).toBe('bold');
		expect(styleOf(only(html, 's'))['text-decoration']).toBe('line-through');
		const code = only(html, 'code');
		expect(textOf(code)).toBe('code <b>');
		expect(styleOf(code)['font-family']).toMatch(/monospace/);
		expect(html).toContain('code &lt;b&gt;');
	});

	it('renders a blockquote with a left border, its paragraphs inside', () => {
		const { html } = markdown('> quoted\n> text\n\n> second');
		const quotes = elements(html, 'blockquote');
		expect(quotes).toHaveLength(2);
		expect(styleOf(quotes[0])['border-left']).toMatch(/solid/);
		expect(textOf(quotes[0])).toBe('quoted text');
	});

	it('writes unordered list markers as text, by depth, with the list markers of the browser off', () => {
		const { html } = markdown('- one\n- two\n  - nested\n    - deeper');
		for (const list of elements(html, 'ul')) expect(styleOf(list)['list-style']).toBe('none');
		const items = elements(html, 'li');
		expect(items.map((item) => textOf(item.children[0] as never).trim())).toEqual(['•', '•', '◦', '▪']);
		for (const item of items) expect(styleOf(item)['list-style']).toBe('none');
	});

	it('numbers ordered lists as text, from their start number, nested in unordered ones', () => {
		const { html } = markdown('3. three\n4. four\n   1. inner\n\n- bullet\n  1. first');
		const markers = elements(html, 'li').map((item) => textOf(item.children[0] as never).trim());
		expect(markers).toEqual(['3.', '4.', '1.', '•', '1.']);
	});

	it('puts the marker of a loose list item into its first paragraph, and unhangs later blocks', () => {
		const { html } = markdown('1. first\n\n   more\n\n2. second');
		const [item] = elements(html, 'li');
		const [first, second] = item.children as ReturnType<typeof only>[];
		expect(first.tag).toBe('p');
		expect(textOf(first)).toBe('1. first');
		expect(styleOf(second)['text-indent']).toBe('0');
	});

	it('turns task list items into checkbox markers', () => {
		const { html, text } = markdown('- [ ] to do\n- [x] done\n- [X] also done\n- [] not a task');
		expect(elements(html, 'li').map((item) => textOf(item))).toEqual(['☐ to do', '☑ done', '☑ also done', '• [] not a task']);
		expect(text).toContain('☐ to do');
		expect(elements(html, 'input')).toEqual([]);
	});

	it('wraps tables in a block that scrolls sideways, with bordered cells and column alignment', () => {
		const { html } = markdown('| Name | Count |\n|:-----|------:|\n| apples | 3 |\n| pears | 12 |');
		only(html, 'table');
		const wrapper = elements(html, 'section').find((section) => (section.children[0] as { tag?: string }).tag === 'table');
		expect(wrapper && styleOf(wrapper)['overflow-x']).toBe('auto');
		expect(elements(html, 'th').map(textOf)).toEqual(['Name', 'Count']);
		const cells = elements(html, 'td');
		expect(cells.map(textOf)).toEqual(['apples', '3', 'pears', '12']);
		for (const cell of cells) expect(styleOf(cell).border).toMatch(/1px solid/);
		expect(styleOf(cells[1])['text-align']).toBe('right');
		expect(cells[1].attrs.align).toBeUndefined();
	});

	it('highlights fenced code in inline colours, keeps its whitespace and lets long lines scroll', () => {
		const source = '```python\ndef f(x):\n\treturn "a  b"  # note\n```';
		const { html } = markdown(source);
		const pre = only(html, 'pre');
		expect(styleOf(pre)['overflow-x']).toBe('auto');
		const code = only(html, 'code');
		expect(styleOf(code)['white-space']).toBe('pre');
		const colored = elements(html, 'span').filter((span) => styleOf(span).color);
		expect(colored.map(textOf)).toEqual(expect.arrayContaining(['def', '"a\u00a0\u00a0b"', '#\u00a0note']));
		expect(elements(html, 'br')).toHaveLength(1);
		// The tab became four spaces, every space a non-breaking one, the line break a <br>.
		expect(textOf(code)).toBe('def\u00a0f(x):\u00a0\u00a0\u00a0\u00a0return\u00a0"a\u00a0\u00a0b"\u00a0\u00a0#\u00a0note');
	});

	it.each(['js', 'ts', 'python', 'bash', 'json', 'go', 'java', 'sql', 'html', 'css', 'yaml'])(
		'highlights %s',
		(language) => {
			const { html } = markdown(`\`\`\`${language}\nconst x = "y"; // select <a> from b: true\n\`\`\``);
			expect(elements(html, 'span').some((span) => styleOf(span).color)).toBe(true);
		},
	);

	it('shows code in an unknown language plainly, escaped', () => {
		const { html } = markdown('```brainfuck\n<script>+-</script>\n```');
		expect(elements(html, 'span')).toEqual([]);
		expect(elements(html, 'script')).toEqual([]);
		expect(textOf(only(html, 'code'))).toBe('<script>+-</script>');
	});

	it('gives an image alone in a paragraph its title, or else its alt, as caption', () => {
		const { html } = markdown('![a cat](https://example.com/cat.png "The cat")\n\n![a dog](https://example.com/dog.png)\n\n![](https://example.com/x.png)\n\nText ![inline](https://example.com/i.png) here');
		const images = elements(html, 'img');
		expect(images.map((image) => image.attrs.src)).toEqual([
			'https://example.com/cat.png', 'https://example.com/dog.png', 'https://example.com/x.png', 'https://example.com/i.png',
		]);
		for (const image of images) expect(styleOf(image)['max-width']).toBe('100%');
		const captions = elements(html, 'p').filter((p) => styleOf(p)['text-align'] === 'center').map(textOf);
		expect(captions).toEqual(['The cat', 'a dog']);
	});

	it('renders horizontal rules', () => {
		const { html } = markdown('above\n\n---\n\nbelow');
		expect(styleOf(only(html, 'hr'))['border-top']).toMatch(/1px solid/);
	});

	it('renders footnotes as numbered marks and a list at the end, without back-links', () => {
		const { html, text } = markdown('Claim[^a] and another[^b], again[^a].\n\n[^a]: First note.\n[^b]: Second note.');
		expect(elements(html, 'sup').map(textOf)).toEqual(['[1]', '[2]', '[1]']);
		expect(text.split('\n').slice(-2)).toEqual(['[1] First note.', '[2] Second note.']);
		expect(html).not.toContain('↩');
		expect(elements(html, 'a')).toEqual([]);
	});

	it('turns <autolinks> into links and leaves bare URLs as text', () => {
		const { links, text } = markdown('See https://example.com/page and <https://example.org/x>.');
		expect(links.map((link) => link.href)).toEqual(['https://example.org/x']);
		expect(text).toBe('See https://example.com/page and https://example.org/x.');
	});

	it('leaves code that its language calls illegal plain rather than half coloured', () => {
		const { html } = markdown('```python\nconst f = (a) => a;\n```');
		expect(elements(html, 'span')).toEqual([]);
		expect(textOf(only(html, 'code'))).toBe('const\u00a0f\u00a0=\u00a0(a)\u00a0=>\u00a0a;');
	});

	it('turns soft line breaks into spaces, and into nothing between Chinese characters', () => {
		const { html } = markdown('one\ntwo\n\n中文\n段落');
		expect(elements(html, 'p').map(textOf)).toEqual(['one two', '中文段落']);
	});
});

describe('Markdown rendering: the whole article', () => {
	const everything = [
		'# Title', '', 'Intro with *em*, **strong**, ~~del~~, `code` and a [link](https://example.com).', '',
		'> A quote', '', '- a', '  - b', '1. c', '- [x] d', '', '| h |', '|---|', '| c |', '',
		'```js', 'const a = 1;', '```', '', '![cap](binary:photo "Caption")', '', '---', '', 'Note[^1]', '',
		'<div class="x" style="color:red">raw</div>', '', '[^1]: The note.',
	].join('\n');

	it('is one styled section, with no <style>, no class or id, and a style on every element that shows', () => {
		const { html } = markdown(everything);
		const all = elements(html);
		expect(all[0].tag).toBe('section');
		expect(styleOf(all[0])['font-size']).toBe('16px');
		expect(elements(html, 'style')).toEqual([]);
		expect(all.filter((node) => node.attrs.class !== undefined || node.attrs.id !== undefined)).toEqual([]);
		const unstyled = all.filter((node) => node.attrs.style === undefined).map((node) => node.tag);
		// Table rows and groups and line breaks need nothing of their own.
		expect(unstyled.filter((tag) => !['thead', 'tbody', 'tr', 'br'].includes(tag))).toEqual([]);
		expect(unstyled).toContain('tr');
	});

	it('keeps every list marker as text', () => {
		const { html } = markdown(everything);
		expect(elements(html, 'li').map((item) => textOf(item).slice(0, 2).trim())).toEqual(['•', '◦', '1.', '☑']);
	});

	it("keeps the author's inline style over the theme's", () => {
		const { html } = markdown(everything);
		const div = elements(html, 'div')[0];
		expect(div.attrs.style).toBe('color:red');
	});

	it('gives the plain text, one line per block, no markup (the leading heading became the title)', () => {
		const { text, fields } = markdown(everything);
		expect(fields.title).toBe('Title');
		expect(text.split('\n').slice(0, 2)).toEqual(['Intro with em, strong, del, code and a link[1].', 'A quote']);
		expect(text).not.toMatch(/[<>]/);
	});

	it('is unchanged when its output is rendered again as HTML', () => {
		for (const theme of THEMES) {
			const once = markdown(everything, theme).html;
			expect(renderArticle(once, { format: 'html', theme }).html).toBe(once);
		}
	});
});

describe('themes', () => {
	it('offers at least three, the default among them', () => {
		expect(THEMES.length).toBeGreaterThanOrEqual(3);
		expect(THEMES).toContain(DEFAULT_THEME);
	});

	it('each looks different', () => {
		const looks = THEMES.map((theme) => markdown('## Heading\n\n> quote\n\n```js\nlet a = 1;\n```', theme).html);
		expect(new Set(looks).size).toBe(THEMES.length);
	});

	it('the default suits a phone: 16px text, images no wider than the screen, code that scrolls', () => {
		const { html } = markdown('text\n\n![x](https://example.com/x.png)\n\n```\nlong\n```');
		expect(styleOf(elements(html, 'section')[0])['font-size']).toBe('16px');
		expect(styleOf(only(html, 'img'))['max-width']).toBe('100%');
		expect(styleOf(only(html, 'pre'))['overflow-x']).toBe('auto');
	});

	it('refuses an unknown theme by name, listing the known ones', () => {
		expect(() => markdown('x', 'neon')).toThrow(`Unknown theme "neon": use one of ${THEMES.join(', ')}`);
	});
});
