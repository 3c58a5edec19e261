import { readFileSync } from 'node:fs';

import { readmeArticle } from '../../bench/readmeArticle';
import { benchArticle } from '../../bench/articleRender';
import { parseHtml, serializeHtml, type HtmlElement, type HtmlNode } from '../../nodes/wechat/article/html';
import { resolveReferences } from '../../nodes/wechat/article/references';
import { sanitizeNodes } from '../../nodes/wechat/article/sanitize';
import { applyTheme } from '../../nodes/wechat/article/style';
import { themeNamed } from '../../nodes/wechat/article/themes';
import { Warnings } from '../../nodes/wechat/article/warnings';
import { markdownToHtml, markdownToTree } from '../../nodes/wechat/article/markdown';
import { tokensToTree } from '../../nodes/wechat/article/tokenTree';
import { MarkdownIt } from '../../nodes/wechat/vendor/markdown-it';

/**
 * The article the tree becomes (sanitised, references resolved, styled) as markup, whitespace-only
 * text left out and runs of whitespace as one space. The markup is read back first: highlighted
 * code from tokens is written as markup by the theme, from HTML as elements.
 */
function shape(root: HtmlElement): string {
	const warnings = new Warnings();
	root.children = sanitizeNodes(root.children, warnings);
	resolveReferences(root, true, warnings);
	applyTheme(root, themeNamed('default'), { captions: true });
	const normalise = (list: HtmlNode[]): HtmlNode[] =>
		list.flatMap((node): HtmlNode[] => {
			if (node.type === 'text') return node.text.trim() ? [{ type: 'text', text: node.text.replace(/\s+/g, ' ').trim() }] : [];
			return [{ ...node, children: normalise(node.children) }];
		});
	return serializeHtml(normalise(parseHtml(serializeHtml(root.children)).children));
}

const viaHtml = (source: string) => shape(parseHtml(markdownToHtml(source)));
const viaTokens = (source: string) => shape(markdownToTree(source));
const tokensOnly = (source: string) => tokensToTree(new MarkdownIt({ html: true }).parse(source, {}));

describe('Markdown tree from tokens', () => {
	const constructs = [
		'# T\n\nA *b* **c** ~~d~~ `e` [f](https://x.example "t") ![g *h*](https://x.example/i.png "cap")\nsoft\\\nhard',
		'- a\n- [x] b\n  1. c\n\n     d\n\n3. e\n4. f',
		'> q\n>\n> > nested\n\n> [!WARNING]\n> w\n\n::: tip Title\nin\n:::',
		'| a | b |\n|:-|-:|\n| `c` | d |',
		'```ts\nconst a: number = 1;\n```\n\n    indented\n\n```unknown\n<x>\n```',
		'Note[^1] and ^[inline] and[^1] again.\n\n[^1]: One.\n\n    Two.',
		'Text <kbd>Ctrl</kbd> + <b>bold</b><br>line <!-- c --> &amp; &copy; ==m== ++u++',
		'<div align="center">\n\n# Centred\n\n[![b](https://img.example/b.svg)](https://ci.example)\n\n</div>\n\nAfter',
		'<table>\n<tr><td>raw</td></tr>\n</table>\n\n<details>\n<summary>More</summary>\n\nHidden *md*\n\n</details>',
		'<p align="center">\n<img src="https://img.example/logo.png">\n</p>\n\n<p>\n\nOpen paragraph\n\n</p>',
		'Inline <div>block in a paragraph</div> text and <span>unclosed',
		'- item\n\n  <li>raw item</li>\n\n- next',
	];

	it.each(constructs.map((source) => [source.slice(0, 40), source]))('builds what the HTML route builds: %s', (_name, source) => {
		expect(viaTokens(source)).toBe(viaHtml(source));
	});

	it('builds what the HTML route builds on long articles (the bench articles, this project\'s READMEs)', () => {
		for (const source of [benchArticle(), readmeArticle(), readFileSync('README.md', 'utf8'), readFileSync('README.zh-CN.md', 'utf8')]) {
			expect(tokensOnly(source)).toBeDefined();
			expect(viaTokens(source)).toBe(viaHtml(source));
		}
	});

	it('takes raw HTML that opens or closes around Markdown, and leaves what needs the whole document to the HTML route', () => {
		expect(tokensOnly('<div align="center">\n\n# Centred\n\n</div>')).toBeDefined();
		expect(tokensOnly('Text <kbd>Ctrl</kbd>')).toBeDefined();
		expect(tokensOnly('Inline <div>block</div>')).toBeUndefined();
		expect(tokensOnly('<p>\n\nOpen paragraph\n\n</p>')).toBeUndefined();
		expect(tokensOnly('<details>\n<summary>More</summary>\n\nHidden\n\n</details>')).toBeUndefined();
		expect(tokensOnly('- item\n\n  <li>raw item</li>')).toBeUndefined();
	});
});
