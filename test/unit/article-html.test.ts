import { renderArticle, rewriteImageSources } from '../../nodes/wechat/article';
import { decodeEntities, parseHtml, serializeHtml, type HtmlNode, type ParseMeter } from '../../nodes/wechat/article/html';
import { HOSTILE_HTML } from '../helpers/hostileHtml';
import { elements, only, styleOf, textOf } from './article-helpers';

const html = (content: string) => renderArticle(content, { format: 'html' });

describe('HTML parsing and serialising', () => {
	it('closes what browsers close implicitly: paragraphs, list items, cells', () => {
		const tree = serializeHtml(parseHtml('<p>one<p>two<ul><li>a<li>b</ul><table><tr><td>1<td>2<tr><td>3</table>').children);
		expect(tree).toBe('<p>one</p><p>two</p><ul><li>a</li><li>b</li></ul><table><tr><td>1</td><td>2</td></tr><tr><td>3</td></tr></table>');
	});

	it('reads quoted, unquoted and valueless attributes, the first of a repeated name winning', () => {
		const [node] = parseHtml(`<img src=a.png alt='it''s' title="x &amp; y" hidden src="b.png">`).children;
		expect(node).toMatchObject({ tag: 'img', attrs: { src: 'a.png', alt: 'it', title: 'x & y', hidden: '' } });
	});

	it('decodes character references, named, decimal and hex, with or without semicolons where browsers do', () => {
		expect(decodeEntities('&lt;&amp;&gt; &copy; &#20013;&#x6587; &#106avascript &amp &nbsp; &bogus; &#0;')).toBe(
			'<&> © 中文 javascript & \u00a0 &bogus; \ufffd',
		);
	});

	it('escapes text and attribute values on the way out, so nothing read as text becomes markup', () => {
		const out = serializeHtml(parseHtml('<p title="&quot;><script>">&lt;script&gt;alert(1)&lt;/script&gt;</p>').children);
		expect(out).toBe('<p title="&quot;&gt;&lt;script&gt;">&lt;script&gt;alert(1)&lt;/script&gt;</p>');
	});

	it('stays linear with many script elements and flat beyond 200 levels of nesting', () => {
		const scripts = '<script>x</script><p>k</p>'.repeat(20_000);
		expect(html(scripts).text.split('\n')).toHaveLength(20_000);
		const deep = `${'<div>'.repeat(50_000)}deep${'</div>'.repeat(50_000)}`;
		expect(html(deep).text).toBe('deep');
		const depth = (nodes: HtmlNode[]): number =>
			Math.max(0, ...nodes.map((node) => (node.type === 'element' ? 1 + depth(node.children) : 0)));
		expect(depth(parseHtml(html(deep).html).children)).toBeLessThanOrEqual(202);
	});

	it('survives broken markup: stray <, unclosed tags and comments, end tags with nothing open', () => {
		const out = serializeHtml(parseHtml('a < b</div><p>c<!-- open').children);
		expect(out).toBe('a &lt; b<p>c</p>');
	});
});

const MEGABYTE = 1_000_000;

describe('hostile input', () => {
	const scannedPerCharacter = (source: string) => {
		const meter: ParseMeter = { scanned: 0 };
		parseHtml(source, meter);
		return meter.scanned / source.length;
	};

	it.each(HOSTILE_HTML)('%s: parsing reads each character a bounded number of times, at any size', (_name, make) => {
		const small = scannedPerCharacter(make(MEGABYTE / 4));
		const large = scannedPerCharacter(make(MEGABYTE));
		expect(large).toBeGreaterThan(0.99);
		expect(large).toBeLessThanOrEqual(3);
		// Linear: four times the input costs four times the reading, not sixteen.
		expect(large).toBeLessThanOrEqual(small * 1.01);
	});

	it('renders a 1 MB end tag that never ends, with the text before it kept', () => {
		const { text } = html(`<p>kept</p></a${'b'.repeat(MEGABYTE)}`);
		expect(text).toBe('kept');
	});

	it('renders 1 MB of start tags that never end as nothing, and text with stray < as text', () => {
		expect(html(`<p>kept</p>${'<a'.repeat(MEGABYTE / 2)}`).text).toBe('kept');
		expect(html(`<p>${'a < b '.repeat(MEGABYTE / 6)}</p>`).text).toBe('a < b '.repeat(MEGABYTE / 6).trim());
	});
});

describe('HTML input', () => {
	it('gets inline styles for the elements it has, and lists that survive the reset', () => {
		const { html: out } = html('<h2>Title</h2><p>Text with <strong>bold</strong></p><ol start="2"><li>two</li><li>three</li></ol>');
		expect(styleOf(only(out, 'h2'))['font-size']).toMatch(/px$/);
		expect(styleOf(only(out, 'strong'))['font-weight']).toBe('bold');
		expect(elements(out, 'li').map(textOf)).toEqual(['2. two', '3. three']);
	});

	it('keeps the inline styles it already has, lists styled by their author included', () => {
		const { html: out } = html('<p style="color:#123456">own</p><ul style="padding-left:2em"><li>mine</li></ul>');
		expect(only(out, 'p').attrs.style).toBe('color:#123456');
		expect(only(out, 'ul').attrs.style).toBe('padding-left:2em');
		expect(textOf(only(out, 'li'))).toBe('mine');
	});

	it('turns figure and figcaption into blocks WeChat keeps, and gets no caption invented', () => {
		const { html: out } = html('<figure><img src="https://example.com/a.png" alt="alt text"><figcaption>Said</figcaption></figure><p><img src="https://example.com/b.png" alt="b"></p>');
		expect(elements(out, 'figure')).toEqual([]);
		expect(elements(out, 'figcaption')).toEqual([]);
		expect(elements(out, 'p').map(textOf)).toEqual(['Said', '']);
	});

	it('keeps code whitespace in <pre> without a <code> inside', () => {
		const { html: out } = html('<pre>a\n  b</pre>');
		expect(textOf(only(out, 'code'))).toBe('a\u00a0\u00a0b');
		expect(elements(out, 'br')).toHaveLength(1);
	});

	it('is a whole document too: html, head and body give way to the content', () => {
		const { html: out, text } = html('<!DOCTYPE html><html><head><title>T</title><meta charset="utf-8"></head><body><p>Body</p></body></html>');
		expect(text).toBe('Body');
		expect(elements(out, 'title')).toEqual([]);
		expect(elements(out, 'body')).toEqual([]);
	});
});

describe('images', () => {
	const content = '<p><img src="https://example.com/a.png" alt="A"></p><p>x<img src="binary:photo"></p><img src="data:image/png;base64,AAAA" alt="C">';

	it('are listed in order with their alt text and 1-based position', () => {
		expect(html(content).images).toEqual([
			{ src: 'https://example.com/a.png', alt: 'A', position: 1 },
			{ src: 'binary:photo', alt: '', position: 2 },
			{ src: 'data:image/png;base64,AAAA', alt: 'C', position: 3 },
		]);
	});

	it('have their sources rewritten by position, everything else unchanged', () => {
		const rendered = html(content).html;
		const seen: Array<[string, number]> = [];
		const rewritten = rewriteImageSources(rendered, (src, position) => {
			seen.push([src, position]);
			return `https://mmbiz.qpic.cn/${position}?a=1&b="2"`;
		});
		expect(seen).toEqual([
			['https://example.com/a.png', 1],
			['binary:photo', 2],
			['data:image/png;base64,AAAA', 3],
		]);
		expect(elements(rewritten, 'img').map((image) => image.attrs.src)).toEqual([1, 2, 3].map((n) => `https://mmbiz.qpic.cn/${n}?a=1&b="2"`));
		expect(rewritten.replace(/<img[^>]*>/g, '')).toBe(rendered.replace(/<img[^>]*>/g, ''));
	});
});
