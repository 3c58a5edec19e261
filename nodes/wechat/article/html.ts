// A small HTML tree: enough to sanitise, restyle and re-serialise article HTML without a DOM.
// Safety does not rest on parsing exactly like a browser: the output is serialised from this tree
// (text and attribute values escaped), so what the sanitiser saw is what is sent.
import { MarkdownIt } from '../vendor/markdown-it';

export interface HtmlElement {
	type: 'element';
	tag: string;
	attrs: Record<string, string>;
	children: HtmlNode[];
}

export interface HtmlText {
	type: 'text';
	text: string;
}

export type HtmlNode = HtmlElement | HtmlText;

export const VOID_ELEMENTS = new Set([
	'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr',
]);
/** Elements whose content is not markup; the sanitiser drops all of them with their content. */
const RAW_TEXT_ELEMENTS = new Set([
	'script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript', 'plaintext',
]);
/** Opening one of these closes an open <p>, as in a browser. */
const CLOSES_PARAGRAPH = new Set([
	'address', 'article', 'aside', 'blockquote', 'details', 'div', 'dl', 'fieldset', 'figcaption', 'figure',
	'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'main', 'nav', 'ol', 'p', 'pre',
	'section', 'table', 'ul',
]);
/** Start tags that close an open sibling of the same kind (and what is open inside it), within their container. */
const IMPLIED_END: Record<string, { closes: Set<string>; boundary: Set<string> }> = {
	li: { closes: new Set(['li']), boundary: new Set(['ul', 'ol']) },
	dt: { closes: new Set(['dt', 'dd']), boundary: new Set(['dl']) },
	dd: { closes: new Set(['dt', 'dd']), boundary: new Set(['dl']) },
	tr: { closes: new Set(['tr']), boundary: new Set(['table', 'thead', 'tbody', 'tfoot']) },
	td: { closes: new Set(['td', 'th']), boundary: new Set(['tr', 'table']) },
	th: { closes: new Set(['td', 'th']), boundary: new Set(['tr', 'table']) },
	thead: { closes: new Set(['thead', 'tbody', 'tfoot']), boundary: new Set(['table']) },
	tbody: { closes: new Set(['thead', 'tbody', 'tfoot']), boundary: new Set(['table']) },
	tfoot: { closes: new Set(['thead', 'tbody', 'tfoot']), boundary: new Set(['table']) },
};

const MAX_DEPTH = 200;

const { utils } = new MarkdownIt();
const ENTITY = /&(?:#(\d{1,8})|#[xX]([0-9a-fA-F]{1,8})|([a-zA-Z][a-zA-Z0-9]{1,31}));?/g;
const LEGACY_NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', nbsp: '\u00a0' };

function fromCodePoint(code: number): string {
	const invalid = code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff);
	return String.fromCodePoint(invalid ? 0xfffd : code);
}

/** Decodes character references: numeric ones with or without `;`, named ones (HTML5's table). */
export function decodeEntities(value: string): string {
	if (!value.includes('&')) return value;
	return value.replace(ENTITY, (match, decimal?: string, hex?: string, name?: string) => {
		if (decimal !== undefined) return fromCodePoint(Number.parseInt(decimal, 10));
		if (hex !== undefined) return fromCodePoint(Number.parseInt(hex, 16));
		if (!match.endsWith(';')) return LEGACY_NAMED[name as string] ?? match;
		return utils.unescapeAll(match);
	});
}

const TEXT_SPECIAL = /[&<>\u00a0]/;
const ATTRIBUTE_SPECIAL = /[&<>"\u00a0]/;

export function escapeText(value: string): string {
	if (!TEXT_SPECIAL.test(value)) return value;
	return value.replace(/[&<>\u00a0]/g, (char) =>
		char === '&' ? '&amp;' : char === '<' ? '&lt;' : char === '>' ? '&gt;' : '&nbsp;',
	);
}

export function escapeAttribute(value: string): string {
	if (!ATTRIBUTE_SPECIAL.test(value)) return value;
	return value.replace(/[&<>"\u00a0]/g, (char) =>
		char === '&' ? '&amp;' : char === '<' ? '&lt;' : char === '>' ? '&gt;' : char === '"' ? '&quot;' : '&nbsp;',
	);
}

export function element(tag: string, attrs: Record<string, string> = {}, children: HtmlNode[] = []): HtmlElement {
	return { type: 'element', tag, attrs: Object.assign(Object.create(null) as Record<string, string>, attrs), children };
}

export function text(value: string): HtmlText {
	return { type: 'text', text: value };
}

const TAG_NAME = /[a-zA-Z][^\s/>]*/y;
const ATTRIBUTE = /([^\s/>][^\s/>=]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*)))?/y;
const END_TAG = /<\/([a-zA-Z][^\s/>]*)[^>]*>/y;

class TreeBuilder {
	readonly root = element('#root');
	private readonly stack: HtmlElement[] = [this.root];

	private get current(): HtmlElement {
		return this.stack[this.stack.length - 1];
	}

	text(value: string): void {
		if (value === '') return;
		const children = this.current.children;
		const last = children[children.length - 1];
		if (last?.type === 'text') last.text += value;
		else children.push(text(value));
	}

	open(tag: string, attrs: Record<string, string>): HtmlElement {
		if (CLOSES_PARAGRAPH.has(tag)) this.closeWithin(new Set(['p']), new Set(['li', 'td', 'th', 'blockquote', 'section', 'div']));
		const implied = IMPLIED_END[tag];
		if (implied) this.closeWithin(implied.closes, implied.boundary);
		const node: HtmlElement = { type: 'element', tag, attrs, children: [] };
		this.current.children.push(node);
		// Past this depth (browsers have one too) content goes to the deepest element instead, so
		// deeply nested input cannot exhaust the stack of the recursive steps that follow.
		if (!VOID_ELEMENTS.has(tag) && this.stack.length <= MAX_DEPTH) this.stack.push(node);
		return node;
	}

	close(tag: string): void {
		for (let depth = this.stack.length - 1; depth > 0; depth--) {
			if (this.stack[depth].tag === tag) {
				this.stack.length = depth;
				return;
			}
		}
	}

	/** Closes the nearest open element in `tags`, unless a `boundary` element is nearer. */
	private closeWithin(tags: Set<string>, boundary: Set<string>): void {
		for (let depth = this.stack.length - 1; depth > 0; depth--) {
			const tag = this.stack[depth].tag;
			if (tags.has(tag)) {
				this.stack.length = depth;
				return;
			}
			if (boundary.has(tag)) return;
		}
	}
}

/** Reads a start tag at `start` (just after `<`); returns where it ends, or -1 when it never ends. */
function readStartTag(html: string, start: number, builder: TreeBuilder): number {
	TAG_NAME.lastIndex = start;
	const name = TAG_NAME.exec(html)?.[0].toLowerCase() as string;
	const attrs: Record<string, string> = Object.create(null) as Record<string, string>;
	let pos = TAG_NAME.lastIndex;
	for (;;) {
		while (pos < html.length && /[\s/]/.test(html[pos])) pos++;
		if (pos >= html.length) return -1;
		if (html[pos] === '>') break;
		ATTRIBUTE.lastIndex = pos;
		const match = ATTRIBUTE.exec(html) as RegExpExecArray;
		const attribute = match[1].toLowerCase();
		if (!(attribute in attrs)) attrs[attribute] = decodeEntities(match[2] ?? match[3] ?? match[4] ?? '');
		pos = ATTRIBUTE.lastIndex;
	}
	pos++;
	builder.open(name, attrs);
	if (RAW_TEXT_ELEMENTS.has(name)) {
		const close = new RegExp(`</${name}`, 'ig');
		close.lastIndex = pos;
		const end = close.exec(html)?.index ?? html.length;
		builder.text(html.slice(pos, end));
		return end;
	}
	return pos;
}

/** Parses an HTML fragment. Comments, doctypes and processing instructions are left out. */
export function parseHtml(html: string): HtmlElement {
	const builder = new TreeBuilder();
	let pos = 0;
	while (pos < html.length) {
		const lt = html.indexOf('<', pos);
		if (lt === -1) {
			builder.text(decodeEntities(html.slice(pos)));
			break;
		}
		if (lt > pos) builder.text(decodeEntities(html.slice(pos, lt)));
		const next = html[lt + 1] ?? '';
		if (html.startsWith('<!--', lt)) {
			const end = html.indexOf('-->', lt + 4);
			pos = end === -1 ? html.length : end + 3;
		} else if (next === '!' || next === '?' || (next === '/' && !/[a-zA-Z>]/.test(html[lt + 2] ?? ''))) {
			const end = html.indexOf('>', lt);
			pos = end === -1 ? html.length : end + 1;
		} else if (next === '/') {
			END_TAG.lastIndex = lt;
			const match = END_TAG.exec(html);
			if (match) builder.close(match[1].toLowerCase());
			pos = match ? END_TAG.lastIndex : html.indexOf('>', lt) + 1 || html.length;
		} else if (/[a-zA-Z]/.test(next)) {
			const end = readStartTag(html, lt + 1, builder);
			pos = end === -1 ? html.length : end;
		} else {
			builder.text('<');
			pos = lt + 1;
		}
	}
	return builder.root;
}

export function serializeHtml(nodes: HtmlNode[]): string {
	let out = '';
	for (const node of nodes) {
		if (node.type === 'text') {
			out += escapeText(node.text);
			continue;
		}
		out += `<${node.tag}`;
		for (const name in node.attrs) out += ` ${name}="${escapeAttribute(node.attrs[name])}"`;
		out += '>';
		if (VOID_ELEMENTS.has(node.tag)) continue;
		out += `${serializeHtml(node.children)}</${node.tag}>`;
	}
	return out;
}

/** Calls `visit` for every element under `nodes`, depth first, in document order. */
export function forEachElement(nodes: HtmlNode[], visit: (node: HtmlElement) => void): void {
	for (const node of nodes) {
		if (node.type !== 'element') continue;
		visit(node);
		forEachElement(node.children, visit);
	}
}
