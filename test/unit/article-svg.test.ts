import { renderArticle, rewriteImageSources, type ContentFormat } from '../../nodes/wechat/article';
import { keptContent } from '../sandbox/state';
import { elements, only } from './article-helpers';

const FORMATS: ContentFormat[] = ['html', 'markdown'];
const render = (content: string, format: ContentFormat) => renderArticle(content, { format });
const REMOVED = 'from inline SVG: WeChat keeps only shapes, text and animations, and nothing that points outside.';

describe.each(FORMATS)('inline SVG in %s input', (format) => {
	it('is kept with its shapes, text and animations, SVG spelling and self-closed siblings intact', () => {
		const svg =
			'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 20 10" width="200" preserveAspectRatio="xMidYMid meet">' +
			'<g transform="translate(1,1)" fill="#07c160"><rect x="0" y="0" width="4" height="4"/><circle cx="8" cy="2" r="2"/>' +
			'<path d="M10 0 L14 4" stroke="#333" stroke-width="0.5"/></g>' +
			'<text x="0" y="9" font-size="3">Hi <tspan fill="red">there</tspan></text>' +
			'<animateTransform attributeName="transform" type="rotate" from="0" to="360" dur="2s" repeatCount="indefinite"/></svg>';
		const { html, warnings } = render(`<section>${svg}</section>`, format);
		expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 20 10" width="200" preserveAspectRatio="xMidYMid meet">');
		expect(only(html, 'g').children.map((child) => (child.type === 'element' ? child.tag : 'text'))).toEqual(['rect', 'circle', 'path']);
		expect(only(html, 'path').attrs).toEqual({ d: 'M10 0 L14 4', stroke: '#333', 'stroke-width': '0.5' });
		expect(only(html, 'tspan').attrs).toEqual({ fill: 'red' });
		expect(html).toContain('<animateTransform attributeName="transform" type="rotate" from="0" to="360" dur="2s" repeatCount="indefinite"></animateTransform>');
		expect(warnings).toEqual([]);
		// Draft → Create parses the rendered HTML again to put in WeChat's image URLs: SVG keeps its spelling.
		expect(rewriteImageSources(html, (src) => src)).toBe(html);
	});

	it.each([
		['<script>', '<script>alert(1)</script>', 'Removed <script> '],
		['<foreignObject>', '<foreignObject><div>html</div></foreignObject>', 'Removed <foreignObject> '],
		['<image> (an outside picture)', '<image href="https://t.example/x.png" width="5" height="5"/>', 'Removed <image> '],
		['<style>', '<style>rect { fill: url(https://t.example/x) }</style>', 'Removed <style> '],
		['an outside <use>', '<use href="https://t.example/x.svg#a"/>', 'Removed <use> of something outside the SVG '],
		['an outside xlink:href <use>', '<use xlink:href="//t.example/x.svg#a"/>', 'Removed <use> of something outside the SVG '],
		['an outside paint', '<rect width="1" height="1" fill="url(https://t.example/x.svg#g)"/>', 'Removed a fill that loads a resource '],
		['an escaped outside paint', '<rect width="1" height="1" fill="u\\rl(https://t.example/x.svg#g)"/>', 'Removed a fill that loads a resource '],
		['an animation of href', '<a href="#x"><set attributeName="href" to="javascript:alert(1)"/></a>', 'Removed an animation of "href" '],
		['an animation of xlink:href', '<animate attributeName="xlink:href" values="javascript:alert(1)"/>', 'Removed an animation of "xlink:href" '],
		['a javascript: link', '<a href="javascript:alert(1)"><rect width="1" height="1"/></a>', 'Removed links (their drawing stays) '],
	])('loses %s, and says so', (_name, inner, warning) => {
		const { html, warnings } = render(`<p><svg viewBox="0 0 10 10"><circle r="1"/>${inner}</svg></p>`, format);
		expect(html).not.toMatch(/t\.example|javascript|alert|<div|<style|<script|href/i);
		expect(elements(html, 'circle')).toHaveLength(1);
		expect(warnings).toContain(`${warning}${REMOVED}`);
	});

	it('loses event handlers whatever their case', () => {
		const { html, warnings } = render('<p><svg onload="a()"><rect ONCLICK="b()" width="1" height="1"/></svg></p>', format);
		expect(html).not.toMatch(/a\(\)|b\(\)/);
		expect(warnings).toContain('Removed event handler attributes (on…): scripts never run in a WeChat article. (2 times)');
	});

	it('expands <use> of its own symbols and paints gradients as their first colour, since WeChat drops ids and defs', () => {
		const { html, warnings } = render(
			'<p><svg viewBox="0 0 20 20"><defs><linearGradient id="g"><stop offset="0" style="stop-color:#ff0000"/><stop offset="1" stop-color="#00f"/></linearGradient>' +
				'<symbol id="dot"><circle cx="1" cy="1" r="1" fill="url(#g)"/></symbol></defs>' +
				'<use href="#dot" x="5" y="6"/><use xlink:href="#dot" transform="scale(2)"/></svg></p>',
			format,
		);
		expect(elements(html, 'defs')).toEqual([]);
		expect(elements(html, 'use')).toEqual([]);
		expect(elements(html, 'g').map((group) => group.attrs.transform)).toEqual(['translate(5,6)', 'translate(0,0) scale(2)']);
		expect(elements(html, 'circle').map((circle) => circle.attrs.fill)).toEqual(['#ff0000', '#ff0000']);
		expect(html).not.toMatch(/\bid=|url\(/);
		expect(warnings).toEqual([]);
	});

	it('copies a bounded number of elements however the <use> elements nest', () => {
		// Each level uses the one below ten times: fully expanded, 10^6 circles.
		const levels = ['<g id="l0"><circle r="1"/></g>'];
		for (let level = 1; level <= 6; level++) levels.push(`<g id="l${level}">${`<use href="#l${level - 1}"/>`.repeat(10)}</g>`);
		const { html, warnings } = render(`<p><svg><defs>${levels.join('')}</defs><use href="#l6"/></svg></p>`, format);
		expect(elements(html, 'circle').length).toBeLessThan(5000);
		expect(warnings.some((warning) => warning.startsWith('Removed <use> copies past the size limit'))).toBe(true);
	});
});

describe('what WeChat keeps', () => {
	it('is all of the rendered SVG, drawn math included: the sandbox keeps it byte for byte, as WeChat keeps it', () => {
		const { html } = render(
			'Math $x^2$ and\n\n$$\n\\frac{a}{b}\n$$\n\n<p><svg viewBox="0 0 9 9" id="i"><defs><symbol id="d"><circle r="1" fill="url(#g)"/></symbol>' +
				'<linearGradient id="g"><stop stop-color="red"/></linearGradient></defs><use href="#d"/>' +
				'<animate attributeName="x" from="0" to="1" dur="1s"/><set attributeName="href" to="#x"/></svg></p>',
			'markdown',
		);
		expect(elements(html, 'svg')).toHaveLength(3);
		expect(keptContent(html, 'https://mmbiz.qpic.cn')).toBe(html);
	});
});

describe('self-closing tags', () => {
	it('close SVG elements only: in HTML a <div/> still opens a div', () => {
		const { html } = render('<div/>text<svg><path d="M0 0"/><path d="M1 1"/></svg>', 'html');
		expect(elements(html, 'path').map((path) => path.children)).toEqual([[], []]);
		expect(only(html, 'svg').children).toHaveLength(2);
	});
});
