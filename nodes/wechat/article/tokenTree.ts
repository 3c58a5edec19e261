// Markdown's tree straight from markdown-it's tokens, without writing HTML and parsing it back:
// the same elements, attributes and classes markdown-it's renderer would write (footnotes as
// markdown-it-footnote writes them), so sanitising, references and styling see what they saw
// before. Raw HTML goes through the HTML parser: a self-contained fragment in place, a block that
// only opens or only closes elements around Markdown (<div align="center"> … </div>) onto the open
// elements. Raw HTML that would need the HTML parser's view of the whole document (a paragraph
// closed by a block opened inline, an element opened and closed in different ways) makes the
// caller render through HTML instead: `undefined`.
import { highlightRuns } from './highlight';
import { codeText, element, parseHtml, text, VOID_ELEMENTS, type HtmlElement, type HtmlNode } from './html';
import type { Token } from '../vendor/markdown-it';

/** Elements an inline tag may not open here: the HTML parser would restructure around them. */
const NEEDS_DOCUMENT = new Set([
	'address', 'article', 'aside', 'blockquote', 'details', 'div', 'dl', 'fieldset', 'figcaption', 'figure',
	'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'main', 'nav', 'ol', 'p', 'pre',
	'section', 'table', 'ul', 'li', 'dt', 'dd', 'tr', 'td', 'th', 'thead', 'tbody', 'tfoot', 'caption',
	'script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript', 'plaintext',
]);
/** Elements a raw HTML block may open around Markdown that follows (README's centred header). */
const BLOCK_WRAPPERS = new Set(['div', 'section', 'article', 'aside', 'details', 'center', 'blockquote', 'figure', 'header', 'footer', 'main', 'nav']);
/** Elements whose start tag closes an open one of their kind (and what is open inside it). */
const CLOSES_SIBLING = new Set(['li', 'dt', 'dd', 'tr', 'td', 'th', 'thead', 'tbody', 'tfoot']);
const TAG = /<!--[\s\S]*?-->|<(\/?)([a-zA-Z][^\s/>]*)(?:[^>"']|"[^"]*"|'[^']*')*>/g;

interface TagShape {
	/** Start tags of non-void elements left open, in order. */
	opened: string[];
	/** End tags with no start tag in the fragment. */
	closed: string[];
	/** Whether anything but tags and whitespace is in it. */
	hasContent: boolean;
}

function shapeOf(html: string): TagShape {
	const open: string[] = [];
	const closed: string[] = [];
	let rest = '';
	let last = 0;
	TAG.lastIndex = 0;
	for (let match = TAG.exec(html); match; match = TAG.exec(html)) {
		rest += html.slice(last, match.index);
		last = TAG.lastIndex;
		const [, slash, name] = match;
		if (!name) continue;
		const tag = name.toLowerCase();
		if (slash) {
			const at = open.lastIndexOf(tag);
			if (at === -1) closed.push(tag);
			else open.length = at;
		} else if (!VOID_ELEMENTS.has(tag) && !match[0].endsWith('/>')) {
			open.push(tag);
		}
	}
	rest += html.slice(last);
	return { opened: open, closed, hasContent: rest.trim() !== '' };
}

/** markdown-it-footnote's number of a note (its anchors are `#fn<number>`). */
function footnoteNumber(token: Token): number {
	return Number((token.meta as { id: number }).id) + 1;
}

class TokenTreeBuilder {
	readonly root = element('#root');
	/** Set when raw HTML needs the HTML parser's view of the whole document: the tree is abandoned. */
	needsDocument = false;
	private readonly stack: HtmlElement[] = [this.root];

	private get current(): HtmlElement {
		return this.stack[this.stack.length - 1];
	}

	private append(node: HtmlNode): void {
		const children = this.current.children;
		const last = children[children.length - 1];
		// Adjacent text is one text node, as the HTML parser makes it (soft breaks read across it).
		if (node.type === 'text' && last?.type === 'text') last.text += node.text;
		else children.push(node);
	}

	private open(tag: string, attrs: Record<string, string> = {}): void {
		const node = element(tag, attrs);
		this.append(node);
		this.stack.push(node);
	}

	private close(tag: string): void {
		for (let depth = this.stack.length - 1; depth > 0; depth--) {
			if (this.stack[depth].tag === tag) {
				this.stack.length = depth;
				return;
			}
		}
		this.needsDocument = true;
	}

	private attrsOf(token: Token): Record<string, string> {
		const attrs: Record<string, string> = {};
		for (const [name, value] of token.attrs ?? []) attrs[name] = String(value);
		return attrs;
	}

	/** Raw HTML: in place when self-contained, else opening or closing elements around Markdown. */
	private html(fragment: string, inline: boolean): void {
		const shape = shapeOf(fragment);
		if (shape.opened.length === 0 && shape.closed.length === 0) {
			const nodes = parseHtml(fragment).children;
			// Inside Markdown's elements a raw <li> or <td> would close them: the HTML route knows how.
			if (this.stack.length > 1 && nodes.some((node) => node.type === 'element' && CLOSES_SIBLING.has(node.tag))) {
				this.needsDocument = true;
				return;
			}
			for (const node of nodes) this.append(node);
			return;
		}
		if (
			shape.hasContent ||
			(shape.opened.length > 0 && shape.closed.length > 0) ||
			shape.opened.some((tag) => (inline ? NEEDS_DOCUMENT.has(tag) : !BLOCK_WRAPPERS.has(tag)))
		) {
			this.needsDocument = true;
			return;
		}
		if (shape.closed.length > 0) {
			for (const tag of shape.closed) this.close(tag);
			return;
		}
		// Only start tags: the elements stay open for what follows, one inside the other.
		this.adoptOpen(parseHtml(fragment).children);
	}

	/** Appends a fragment whose elements all stay open: each one the last thing in its parent. */
	private adoptOpen(nodes: HtmlNode[]): void {
		for (let index = 0; index < nodes.length; index++) {
			const node = nodes[index];
			if (node.type === 'text' || VOID_ELEMENTS.has(node.tag)) {
				this.append(node);
				continue;
			}
			// Anything after it means the HTML parser closed it: only the whole document tells how.
			if (nodes.slice(index + 1).some((next) => next.type === 'element' || next.text.trim() !== '')) {
				this.needsDocument = true;
				return;
			}
			this.open(node.tag, node.attrs);
			this.adoptOpen(node.children);
		}
	}

	private fence(token: Token): void {
		const language = token.info.trim().split(/\s+/)[0] ?? '';
		const runs = highlightRuns(token.content, language);
		const code = element('code', language ? { class: `language-${language}` } : {});
		code.children = [runs ? codeText(token.content, runs) : text(token.content)];
		this.append(element('pre', {}, [code]));
	}

	inline(tokens: Token[]): void {
		for (const token of tokens) {
			if (this.needsDocument) return;
			switch (token.type) {
				case 'text':
					this.append(text(token.content));
					break;
				case 'softbreak':
					this.append(text('\n'));
					break;
				case 'hardbreak':
					this.append(element('br'));
					break;
				case 'code_inline':
					this.append(element('code', this.attrsOf(token), [text(token.content)]));
					break;
				case 'image': {
					const attrs = this.attrsOf(token);
					attrs.alt = (token.children ?? []).map((child) => child.content).join('');
					this.append(element('img', attrs));
					break;
				}
				case 'html_inline':
					this.html(token.content, true);
					break;
				case 'footnote_ref': {
					const id = `fn${footnoteNumber(token)}`;
					this.append(element('sup', { class: 'footnote-ref' }, [element('a', { href: `#${id}` }, [text(`[${id.slice(2)}]`)])]));
					break;
				}
				default:
					if (token.nesting === 1) this.open(token.tag, this.attrsOf(token));
					else if (token.nesting === -1) this.close(token.tag);
			}
		}
	}

	blocks(tokens: Token[]): void {
		for (const token of tokens) {
			if (this.needsDocument) return;
			if (token.hidden) continue; // the paragraphs of a tight list item
			switch (token.type) {
				case 'inline':
					this.inline(token.children ?? []);
					break;
				case 'fence':
				case 'code_block':
					this.fence(token);
					break;
				case 'html_block':
					this.html(token.content, false);
					break;
				case 'hr':
					this.append(element('hr'));
					break;
				case 'footnote_block_open':
					this.open('section', { class: 'footnotes' });
					this.open('ol', { class: 'footnotes-list' });
					break;
				case 'footnote_block_close':
					this.close('section');
					break;
				case 'footnote_open':
					this.open('li', { id: `fn${footnoteNumber(token)}`, class: 'footnote-item' });
					break;
				case 'footnote_close':
					this.close('li');
					break;
				case 'footnote_anchor':
					break; // back-links: the reference list has none
				default:
					if (token.nesting === 1) this.open(token.tag, this.attrsOf(token));
					else if (token.nesting === -1) this.close(token.tag);
			}
		}
	}
}

/** The tree of parsed Markdown tokens, or `undefined` when its raw HTML needs the HTML parser's view. */
export function tokensToTree(tokens: Token[]): HtmlElement | undefined {
	const builder = new TokenTreeBuilder();
	builder.blocks(tokens);
	return builder.needsDocument ? undefined : builder.root;
}
