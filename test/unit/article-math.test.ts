import { renderArticle } from '../../nodes/wechat/article';
import { MAX_FORMULAS } from '../../nodes/wechat/article/math';
import { elements, only, textOf } from './article-helpers';

const markdown = (content: string) => renderArticle(content, { format: 'markdown' });
/** What the SVG allow-list keeps of MathJax's drawing: no data-*, id, defs or use. */
const DRAWN = new Set(['svg', 'g', 'path', 'rect']);

function expectDrawn(html: string, count: number): void {
	const svgs = elements(html, 'svg');
	expect(svgs).toHaveLength(count);
	for (const node of elements(html).filter((element) => DRAWN.has(element.tag) || element.tag.startsWith('svg'))) {
		expect(Object.keys(node.attrs).filter((name) => name.startsWith('data-') || name === 'id')).toEqual([]);
	}
	expect(elements(html, 'path').length).toBeGreaterThan(0);
	expect(html).not.toMatch(/<(defs|use|mjx-container)\b/);
}

describe('math in Markdown', () => {
	it('draws $…$ and \\(…\\) inline as SVG in the paragraph, the delimiters gone', () => {
		const { html, text, warnings } = markdown('Euler: $e^{i\\pi} + 1 = 0$ and \\(x^2\\).');
		expectDrawn(html, 2);
		expect(only(html, 'p').children.filter((child) => child.type === 'element').map((child) => child.type === 'element' && child.tag)).toEqual(['svg', 'svg']);
		// The drawing is labelled with its TeX, which the text (and so an automatic digest) reads.
		expect(elements(html, 'svg').map((svg) => svg.attrs['aria-label'])).toEqual(['e^{i\\pi} + 1 = 0', 'x^2']);
		expect(text).toBe('Euler: e^{i\\pi} + 1 = 0 and x^2.');
		expect(warnings).toEqual([]);
	});

	it('draws a $$ block with \\\\ line breaks, its backslashes intact', () => {
		const { html, warnings } = markdown('Before\n\n$$\n\\begin{aligned} a &= b \\\\\n- c &= d \\\\ \\# \\end{aligned}\n$$\n\nAfter');
		expectDrawn(html, 1);
		expect(elements(html, 'ul')).toEqual([]);
		expect(elements(html, 'p').map(textOf)).toEqual(['Before', 'After']);
		// Two rows: the \\ reached MathJax as written (Markdown would have made it one \).
		expect(html.match(/<g transform="translate\(0,-?\d/g)?.length).toBeGreaterThanOrEqual(2);
		expect(warnings).toEqual([]);
	});

	it('draws \\[…\\] blocks, one-line $$…$$ blocks and $$…$$ inside a paragraph, which stays one paragraph', () => {
		const { html, warnings } = markdown('\\[ \\sum_{i=1}^n i = \\frac{n(n+1)}{2} \\]\n\n$$ \\sqrt{2} $$\n\nSo $$x = 1$$ holds.');
		expectDrawn(html, 3);
		expect(elements(html, 'section').filter((section) => section.attrs.style?.includes('text-align:center'))).toHaveLength(2);
		expect(textOf(only(html, 'p'))).toBe('So  holds.');
		expect(warnings).toEqual([]);
	});

	it.each([
		'It costs $5 to $10.',
		'Between $5 and $6, or $7.',
		'Pay $20/$30 a month.',
		'A literal \\$ sign and another \\$ sign.',
		'Money: $ 5 $',
	])('leaves prices and escaped dollars alone: %s', (line) => {
		const { html, text, warnings } = markdown(line);
		expect(elements(html, 'svg')).toEqual([]);
		expect(text).toBe(line.replace(/\\\$/g, '$'));
		expect(warnings).toEqual([]);
	});

	it('leaves TeX in code spans and fenced code alone', () => {
		const { html } = markdown('`$x$` and\n\n```\n$$\ny\n$$\n```');
		expect(elements(html, 'svg')).toEqual([]);
		// Code keeps its line breaks as <br>.
		expect(elements(html, 'code').map(textOf)).toEqual(['$x$', '$$y$$']);
	});

	it.each([
		['an undefined command', 'Bad $\\foo{x}$ here', '$\\foo{x}$', 'Undefined control sequence \\foo'],
		['unbalanced braces', 'Bad \\(\\frac{a}{b\\) here', '\\(\\frac{a}{b\\)', 'Missing close brace'],
		['a block', '$$\n\\begin{matrix} a \\\\ b\n$$', '$$\n\\begin{matrix} a \\\\ b\n$$', 'Missing \\end{matrix}'],
	])('keeps %s exactly as written in a <code>, and names it in a warning', (_name, source, kept, reason) => {
		const { html, text, warnings } = markdown(source);
		expect(elements(html, 'svg')).toEqual([]);
		expect(Object.keys(only(html, 'code').attrs)).toEqual(['style']);
		expect(text).toContain(kept);
		expect(warnings).toEqual([expect.stringContaining(`Kept the math ${kept} as TeX, not drawn: ${reason}`)]);
	});

	it(`draws at most ${MAX_FORMULAS} formulas an article and keeps the rest as TeX`, () => {
		const { html, warnings } = markdown(Array.from({ length: MAX_FORMULAS + 2 }, (_, index) => `$x_{${index}}$`).join(' '));
		expect(elements(html, 'svg')).toHaveLength(MAX_FORMULAS);
		expect(elements(html, 'code').map(textOf)).toEqual([`$x_{${MAX_FORMULAS}}$`, `$x_{${MAX_FORMULAS + 1}}$`]);
		expect(warnings).toHaveLength(2);
	});

	const MEGABYTE = 1_000_000;

	it.each([
		['$a ', '$a '],
		['\\(a ', '(a '],
		['\\[a ', '[a '],
	])('finds closing delimiters in linear time: 1 MB of %s that never closes renders as text', (opener, asText) => {
		const { text, html } = markdown(opener.repeat(MEGABYTE / opener.length));
		expect(elements(html, 'svg')).toHaveLength(0);
		// Compared without printing a megabyte should it fail.
		expect(text === asText.repeat(MEGABYTE / opener.length).trim()).toBe(true);
	});

	it('finds closing lines in linear time: 33,000 $$ blocks that never close render as paragraphs', () => {
		// Smaller than a megabyte only because 166,000 paragraphs take seconds to style whatever they hold.
		expect(markdown('$$ a\n\n'.repeat(33_000)).text.split('\n')).toHaveLength(33_000);
	});
});
