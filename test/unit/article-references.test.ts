import { renderArticle, type ContentFormat } from '../../nodes/wechat/article';
import { elements, textOf } from './article-helpers';

const render = (content: string, format: ContentFormat = 'markdown', linkFootnotes?: boolean) =>
	renderArticle(content, { format, linkFootnotes });

/** The reference list: the last block of the article, one line per entry. */
const referenceLines = (text: string) => text.split('\n').filter((line) => /^\[\d+\] /.test(line));

describe('link references', () => {
	it('turn a link to another site into its text, a numbered mark and an entry at the end', () => {
		const { html, text, links } = render('Read [the guide](https://example.com/guide) first.');
		expect(elements(html, 'a')).toEqual([]);
		expect(text.split('\n')[0]).toBe('Read the guide[1] first.');
		expect(referenceLines(text)).toEqual(['[1] the guide: https://example.com/guide']);
		expect(links).toEqual([{ href: 'https://example.com/guide', text: 'the guide', footnote: 1 }]);
	});

	it('keep links to WeChat articles live and unnumbered', () => {
		const href = 'https://mp.weixin.qq.com/s/AbCdEf';
		const { html, text, links } = render(`See [our last post](${href}) and [http too](http://mp.weixin.qq.com/s/x).`);
		expect(elements(html, 'a').map((a) => a.attrs.href)).toEqual([href, 'http://mp.weixin.qq.com/s/x']);
		expect(referenceLines(text)).toEqual([]);
		expect(links).toEqual([
			{ href, text: 'our last post' },
			{ href: 'http://mp.weixin.qq.com/s/x', text: 'http too' },
		]);
	});

	it.each([
		'https://mp.weixin.qq.com.evil.example/s/x',
		'https://evil.example/?u=https://mp.weixin.qq.com/',
		'https://mp.weixin.qq.com@evil.example/s/x',
		'https://weixin.qq.com/s/x',
	])('treat %s as another site', (href) => {
		const { html, links } = render(`[look](${href})`);
		expect(elements(html, 'a')).toEqual([]);
		expect(links).toEqual([{ href, text: 'look', footnote: 1 }]);
	});

	it('give the same URL the same number, and number in reading order', () => {
		const { text } = render('[a](https://a.example) [b](https://b.example) [a again](https://a.example)');
		expect(text.split('\n')[0]).toBe('a[1] b[2] a again[1]');
		expect(referenceLines(text)).toEqual(['[1] a: https://a.example', '[2] b: https://b.example']);
	});

	it('share one numbering with Markdown footnotes; links inside notes come after the text', () => {
		const { text } = render('One[^n] [two](https://two.example) three.\n\n[^n]: A note citing [a source](https://source.example).');
		expect(text.split('\n')[0]).toBe('One[1] two[2] three.');
		expect(referenceLines(text)).toEqual([
			'[1] A note citing a source[3].',
			'[2] two: https://two.example',
			'[3] a source: https://source.example',
		]);
	});

	it('leave an autolink as its text, with no entry: it already shows where it leads', () => {
		const { html, text, links } = render('Go to <https://example.com/x> now.');
		expect(elements(html, 'a')).toEqual([]);
		expect(referenceLines(text)).toEqual([]);
		expect(links).toEqual([{ href: 'https://example.com/x', text: 'https://example.com/x' }]);
	});

	it('number mail links like web links', () => {
		const { links } = render('[write to us](mailto:hi@example.com)');
		expect(links).toEqual([{ href: 'mailto:hi@example.com', text: 'write to us', footnote: 1 }]);
	});

	it('keep only the text of in-page anchors and relative links, and warn about the relative one', () => {
		const { html, links, warnings } = render('[up](#top) and [page](docs/page.html)');
		expect(elements(html, 'a')).toEqual([]);
		expect(links).toEqual([]);
		expect(warnings).toEqual(['A link to "docs/page.html" has no host, so it cannot work in WeChat: only its text stays.']);
	});

	it('work for HTML input too', () => {
		const { text, links } = render('<p>An <a href="https://example.com/a" target="_blank"><b>HTML</b> link</a>.</p>', 'html');
		expect(text.split('\n')).toEqual(['An HTML link[1].', '[1] HTML link: https://example.com/a']);
		expect(links).toEqual([{ href: 'https://example.com/a', text: 'HTML link', footnote: 1 }]);
	});

	it('stay links, unnumbered, with linkFootnotes off (footnotes are still numbered)', () => {
		const { html, text, links } = render('[a](https://a.example) and a note[^1].\n\n[^1]: Note.', 'markdown', false);
		const [anchor] = elements(html, 'a');
		expect(anchor.attrs.href).toBe('https://a.example');
		expect(textOf(anchor)).toBe('a');
		expect(referenceLines(text)).toEqual(['[1] Note.']);
		expect(links).toEqual([{ href: 'https://a.example', text: 'a' }]);
	});
});
