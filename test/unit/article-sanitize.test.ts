import { renderArticle, type ContentFormat } from '../../nodes/wechat/article';
import { elements, only, textOf } from './article-helpers';

const FORMATS: ContentFormat[] = ['html', 'markdown'];
const render = (content: string, format: ContentFormat) => renderArticle(content, { format });

describe.each(FORMATS)('sanitising %s input', (format) => {
	it('removes scripts with their content, and says so', () => {
		const { html, text, warnings } = render('<p>before</p>\n\n<script>alert("x")</script>\n\n<p>after</p>', format);
		expect(elements(html, 'script')).toEqual([]);
		expect(html).not.toContain('alert');
		expect(text).toBe('before\nafter');
		expect(warnings).toContain('Removed <script> elements: WeChat articles cannot hold them.');
	});

	it('removes <style> blocks', () => {
		const { html } = render('<style>p { color: red }</style>\n\n<p>text</p>', format);
		expect(elements(html, 'style')).toEqual([]);
		expect(html).not.toContain('color: red');
	});

	it.each(['iframe', 'object', 'form', 'button', 'textarea', 'select', 'math', 'video', 'audio', 'noscript'])(
		'removes <%s> with its content',
		(tag) => {
			const { html, warnings } = render(`<div><${tag} src="https://example.com/x" data="x">inner ${tag}</${tag}>kept</div>`, format);
			expect(elements(html, tag)).toEqual([]);
			expect(html).not.toContain(`inner ${tag}`);
			expect(html).toContain('kept');
			expect(warnings).toContain(`Removed <${tag}> elements: WeChat articles cannot hold them.`);
		},
	);

	it.each(['embed', 'input', 'link', 'meta', 'base'])('removes the empty element <%s>', (tag) => {
		const { html, warnings } = render(`<div>a<${tag} src="https://example.com/x" href="https://example.com/y">b</div>`, format);
		expect(elements(html, tag)).toEqual([]);
		expect(textOf(only(html, 'div'))).toBe('ab');
		expect(warnings).toContain(`Removed <${tag}> elements: WeChat articles cannot hold them.`);
	});

	it('removes every event handler attribute, whatever its case', () => {
		const { html, warnings } = render(
			'<p onclick="a()" OnMouseOver="b()">x <img src="https://example.com/a.png" onerror="c()" onload=d()></p>',
			format,
		);
		for (const node of elements(html)) expect(Object.keys(node.attrs).filter((name) => name.startsWith('on'))).toEqual([]);
		expect(html).not.toMatch(/a\(\)|b\(\)|c\(\)|d\(\)/);
		expect(warnings).toContain('Removed event handler attributes (on…): scripts never run in a WeChat article. (4 times)');
	});

	it.each([
		'javascript:alert(1)',
		'JavaScript:alert(1)',
		' javascript:alert(1)',
		'java\tscript:alert(1)',
		'&#106;avascript:alert(1)',
		'&#x6A;avascript&#58;alert(1)',
		'javascript&colon;alert(1)',
		'vbscript:msgbox(1)',
		'data:text/html;base64,PHNjcmlwdD4=',
	])('removes the link target %s and keeps its text', (href) => {
		const { html, links, warnings } = render(`<p><a href="${href}">click</a></p>`, format);
		expect(elements(html, 'a')).toEqual([]);
		expect(textOf(only(html, 'p'))).toBe('click');
		expect(links).toEqual([]);
		expect(warnings.some((warning) => /^Removed a link with a "\w+:" URL/.test(warning))).toBe(true);
	});

	it.each(['javascript:alert(1)', '&#106;avascript:alert(1)', 'vbscript:x', 'data:text/html,<script>x</script>', 'file:///etc/passwd'])(
		'removes an image whose src is %s',
		(src) => {
			const { html, images, warnings } = render(`<p>a<img src="${src}" alt="bad">b</p>`, format);
			expect(elements(html, 'img')).toEqual([]);
			expect(images).toEqual([]);
			expect(warnings.some((warning) => warning.startsWith('Removed an image whose src has the'))).toBe(true);
		},
	);

	it('keeps http(s), data:image and binary: image sources exactly as written', () => {
		const sources = ['https://example.com/a.png', 'http://example.com/b.jpg', 'data:image/png;base64,iVBORw0KGgo=', 'binary:photo'];
		const { images } = render(sources.map((src) => `<p><img src="${src}" alt="x"></p>`).join('\n\n'), format);
		expect(images.map((image) => image.src)).toEqual(sources);
	});

	it('removes style declarations that load resources or run code, and keeps the others', () => {
		const { html } = render(
			'<p style="color:red;background:url(https://t.example/x.png);width:expression(alert(1));font-weight:bold">x</p>',
			format,
		);
		expect(only(html, 'p').attrs.style).toBe('color:red;font-weight:bold');
	});

	it.each([
		['an escaped letter', 'background:u\\rl(https://t.example/x.png)'],
		['a hex escape and its space', 'background:\\75 rl(https://t.example/x.png)'],
		['a six-digit hex escape', 'background-image:\\000075rl(https://t.example/x.png)'],
		['an escaped parenthesis name', 'background:\\55\\52\\4c(https://t.example/x.png)'],
		['image-set()', 'background-image:image-set("https://t.example/x.png" 1x)'],
		['-webkit-image-set()', 'background-image:-webkit-image-set(url(https://t.example/x.png) 1x)'],
		['an escaped image-set()', 'background-image:imag\\65-set("https://t.example/x.png" 1x)'],
		['cross-fade()', 'background-image:cross-fade(50% "https://t.example/x.png", red)'],
		['image()', 'background-image:image("https://t.example/x.png")'],
		['a comment inside the name', 'background:ur/**/l(https://t.example/x.png)'],
		['an escaped expression()', 'width:e\\78pression(alert(1))'],
		['an escaped javascript:', 'background:\\6a avascript:alert(1)'],
		['a space before the parenthesis', 'background:url (https://t.example/x.png)'],
	])('removes a declaration that loads a resource through %s', (_name, declaration) => {
		const { html, warnings } = render(`<p style="color:red;${declaration.replace(/"/g, '&quot;')};font-weight:bold">x</p>`, format);
		expect(only(html, 'p').attrs.style).toBe('color:red;font-weight:bold');
		expect(warnings).toContain('Removed style declarations that load resources or run code (url(), image-set(), expression()).');
	});

	it('keeps escapes, gradients, colour and transform functions that load nothing', () => {
		const style = 'font-family:"\\5FAE\\8F6F\\96C5\\9ED1";background:linear-gradient(90deg, rgba(0,0,0,.1), hsl(0 0% 50%));transform:translateX(calc(1px + 2%))';
		const { html, warnings } = render(`<p style="${style.replace(/"/g, '&quot;')}">x</p>`, format);
		expect(only(html, 'p').attrs.style).toBe(style);
		expect(warnings).toEqual([]);
	});

	it('drops attributes outside the allow-list, comments and unknown wrappers, keeping their text', () => {
		const { html } = render('<p data-x="1" contenteditable formaction="x"><!-- secret --><font color="red"><custom-tag>word</custom-tag></font></p>', format);
		const p = only(html, 'p');
		expect(Object.keys(p.attrs)).toEqual(['style']);
		expect(textOf(p)).toBe('word');
		expect(html).not.toContain('secret');
	});
});

describe('sanitising Markdown', () => {
	it('never treats Markdown link syntax as a way around the URL rules', () => {
		const { html, links } = render('[click](javascript:alert(1)) ![x](javascript:alert(2)) [ok](https://example.com)', 'markdown');
		expect(html).not.toContain('javascript');
		expect(links.map((link) => link.href)).toEqual(['https://example.com']);
	});
});
