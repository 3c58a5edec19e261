// A small HTML tree: enough to sanitise, restyle and re-serialise article HTML without a DOM.
// Safety does not rest on parsing exactly like a browser: the output is serialised from this tree
// (text and attribute values escaped), so what the sanitiser saw is what is sent.
import { decodeEntities, escapeAttribute, escapeText } from './entities';
import type { Run } from './highlight';
import { svgAttributes, svgTagName } from './svgNames';

export { decodeEntities, escapeAttribute, escapeText } from './entities';

export interface HtmlElement {
	type: 'element';
	tag: string;
	attrs: Record<string, string>;
	children: HtmlNode[];
}

export interface HtmlText {
	type: 'text';
	text: string;
	/**
	 * Highlighted code: `text` cut into runs of scopes (still only text, nothing for the sanitiser),
	 * and once the theme has coloured them, their markup, which is serialised as it is.
	 */
	code?: { runs: Run[]; html?: string };
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

const PARAGRAPH = new Set(['p']);
const PARAGRAPH_BOUNDARY = new Set(['li', 'td', 'th', 'blockquote', 'section', 'div']);

const MAX_DEPTH = 200;

/**
 * Attributes without Object.prototype (an attribute named __proto__ or constructor is just an
 * attribute), made by a constructor so V8 keeps them fast objects: Object.create(null) gives a
 * slower dictionary for every element.
 */
const Attributes = function Attributes() {} as unknown as new () => Record<string, string>;
Attributes.prototype = Object.freeze(Object.create(null));

export function attributes(from?: Record<string, string>): Record<string, string> {
	return from ? Object.assign(new Attributes(), from) : new Attributes();
}

export function element(tag: string, attrs?: Record<string, string>, children: HtmlNode[] = []): HtmlElement {
	return { type: 'element', tag, attrs: attributes(attrs), children };
}

export function text(value: string): HtmlText {
	return { type: 'text', text: value };
}

/** Highlighted code's text node. */
export function codeText(value: string, runs: Run[]): HtmlText {
	return { type: 'text', text: value, code: { runs } };
}

class TreeBuilder {
	readonly root = element('#root');
	private readonly stack: HtmlElement[] = [this.root];
	/** Whether each open element is an <svg> or inside one, where `/>` closes an element as in XML. */
	private readonly inSvg: boolean[] = [false];

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

	open(name: string, attributes: Record<string, string>, selfClosing: boolean): HtmlElement {
		const inSvg = name === 'svg' || this.inSvg[this.inSvg.length - 1];
		const tag = inSvg ? svgTagName(name) : name;
		const attrs = inSvg ? svgAttributes(attributes) : attributes;
		if (!inSvg && CLOSES_PARAGRAPH.has(tag)) this.closeWithin(PARAGRAPH, PARAGRAPH_BOUNDARY);
		const implied = inSvg ? undefined : IMPLIED_END[tag];
		if (implied) this.closeWithin(implied.closes, implied.boundary);
		const node: HtmlElement = { type: 'element', tag, attrs, children: [] };
		this.current.children.push(node);
		// Past this depth (browsers have one too) content goes to the deepest element instead, so
		// deeply nested input cannot exhaust the stack of the recursive steps that follow.
		if (!VOID_ELEMENTS.has(tag) && !(inSvg && selfClosing) && this.stack.length <= MAX_DEPTH) {
			this.stack.push(node);
			this.inSvg.push(inSvg);
		}
		return node;
	}

	close(name: string): void {
		const tag = this.inSvg[this.inSvg.length - 1] ? svgTagName(name) : name;
		for (let depth = this.stack.length - 1; depth > 0; depth--) {
			if (this.stack[depth].tag === tag) {
				this.closeFrom(depth);
				return;
			}
		}
	}

	private closeFrom(depth: number): void {
		this.stack.length = depth;
		this.inSvg.length = depth;
	}

	/** Closes the nearest open element in `tags`, unless a `boundary` element is nearer. */
	private closeWithin(tags: Set<string>, boundary: Set<string>): void {
		for (let depth = this.stack.length - 1; depth > 0; depth--) {
			const tag = this.stack[depth].tag;
			if (tags.has(tag)) {
				this.closeFrom(depth);
				return;
			}
			if (boundary.has(tag)) return;
		}
	}
}

/** How much of the input a parse read: every scan adds the characters it passed over, plus one. */
export interface ParseMeter {
	scanned: number;
}

const TAG_NAME_REST = /[^\s/>]*/y;
const ATTRIBUTE_NAME_REST = /[^\s/>=]*/y;
const UNQUOTED_VALUE = /[^\s>]*/y;
const SPACE = /\s*/y;
const SPACE_OR_SLASH = /[\s/]*/y;
const LETTER = /[a-zA-Z]/;

/**
 * The parser's only ways of reading ahead: each is linear in what it passes over and leaves the
 * position after it, so a parse reads every character a bounded number of times whatever the input
 * (a regular expression that could backtrack over a long run made `</a` + 100,000 letters quadratic).
 */
class Scanner {
	private readonly closers = new Map<string, RegExp>();

	constructor(
		readonly source: string,
		private readonly meter?: ParseMeter,
	) {}

	/** Where `needle` starts at or after `from`, or -1. */
	find(needle: string, from: number): number {
		const at = this.source.indexOf(needle, from);
		this.count(from, at === -1 ? this.source.length : at + needle.length);
		return at;
	}

	/** Where `</tag` (any case) starts at or after `from`, or -1. */
	findEndTag(tag: string, from: number): number {
		let closer = this.closers.get(tag);
		if (!closer) this.closers.set(tag, (closer = new RegExp(`</${tag}`, 'ig')));
		closer.lastIndex = from;
		const at = closer.exec(this.source)?.index ?? -1;
		this.count(from, at === -1 ? this.source.length : at + tag.length + 2);
		return at;
	}

	/** The end of the run of characters `run` (a sticky, repeated character class) matches at `from`. */
	skip(run: RegExp, from: number): number {
		run.lastIndex = from;
		run.test(this.source);
		const end = Math.max(run.lastIndex, from);
		this.count(from, end);
		return end;
	}

	private count(from: number, to: number): void {
		if (this.meter) this.meter.scanned += to - from + 1;
	}
}

/** Reads a start tag at `start` (just after `<`); returns where it ends, or -1 when it never ends. */
function readStartTag(scanner: Scanner, start: number, builder: TreeBuilder): number {
	const html = scanner.source;
	let pos = scanner.skip(TAG_NAME_REST, start + 1);
	const name = html.slice(start, pos).toLowerCase();
	const attrs = attributes();
	for (;;) {
		pos = scanner.skip(SPACE_OR_SLASH, pos);
		if (pos >= html.length) return -1;
		if (html[pos] === '>') break;
		const nameEnd = scanner.skip(ATTRIBUTE_NAME_REST, pos + 1);
		const attribute = html.slice(pos, nameEnd).toLowerCase();
		let value = '';
		pos = nameEnd;
		const equals = scanner.skip(SPACE, nameEnd);
		if (html[equals] === '=') {
			const valueStart = scanner.skip(SPACE, equals + 1);
			const quote = html[valueStart];
			// An unclosed quote is read as an unquoted value. It scans to the end at most once per
			// quote character in a whole parse: after a failed search there is no later quote of that kind.
			const close = quote === '"' || quote === "'" ? scanner.find(quote, valueStart + 1) : -1;
			if (close !== -1) {
				value = html.slice(valueStart + 1, close);
				pos = close + 1;
			} else {
				pos = scanner.skip(UNQUOTED_VALUE, valueStart);
				value = html.slice(valueStart, pos);
			}
		}
		if (!(attribute in attrs)) attrs[attribute] = decodeEntities(value);
	}
	builder.open(name, attrs, html[pos - 1] === '/');
	pos++;
	if (RAW_TEXT_ELEMENTS.has(name)) {
		const found = scanner.findEndTag(name, pos);
		const end = found === -1 ? html.length : found;
		builder.text(html.slice(pos, end));
		return end;
	}
	return pos;
}

/** Reads an end tag at `start` (just after `</`, a letter); returns where it ends. */
function readEndTag(scanner: Scanner, start: number, builder: TreeBuilder): number {
	const nameEnd = scanner.skip(TAG_NAME_REST, start + 1);
	const gt = scanner.find('>', nameEnd);
	// An end tag that never ends is dropped with the rest of the input, as browsers do.
	if (gt === -1) return scanner.source.length;
	builder.close(scanner.source.slice(start, nameEnd).toLowerCase());
	return gt + 1;
}

/** Parses an HTML fragment in time linear in its length. Comments, doctypes and processing instructions are left out. */
export function parseHtml(html: string, meter?: ParseMeter): HtmlElement {
	const scanner = new Scanner(html, meter);
	const builder = new TreeBuilder();
	// Text runs from `textStart` to the next tag or comment; a stray `<` is part of it.
	let textStart = 0;
	let pos = 0;
	while (pos < html.length) {
		const lt = scanner.find('<', pos);
		if (lt === -1) break;
		const next = html[lt + 1] ?? '';
		const isEndTag = next === '/' && LETTER.test(html[lt + 2] ?? '');
		if (!isEndTag && next !== '!' && next !== '?' && next !== '/' && !LETTER.test(next)) {
			pos = lt + 1;
			continue;
		}
		if (lt > textStart) builder.text(decodeEntities(html.slice(textStart, lt)));
		if (html.startsWith('<!--', lt)) {
			const close = scanner.find('-->', lt + 4);
			pos = close === -1 ? html.length : close + 3;
		} else if (isEndTag) {
			pos = readEndTag(scanner, lt + 2, builder);
		} else if (LETTER.test(next)) {
			const close = readStartTag(scanner, lt + 1, builder);
			pos = close === -1 ? html.length : close;
		} else {
			const close = scanner.find('>', lt + 1);
			pos = close === -1 ? html.length : close + 1;
		}
		textStart = pos;
	}
	if (textStart < html.length) builder.text(decodeEntities(html.slice(textStart)));
	return builder.root;
}

export function serializeHtml(nodes: HtmlNode[]): string {
	let out = '';
	const write = (list: HtmlNode[]): void => {
		for (const node of list) {
			if (node.type === 'text') {
				out += node.code?.html ?? escapeText(node.text);
				continue;
			}
			out += '<' + node.tag;
			for (const name in node.attrs) out += ' ' + name + '="' + escapeAttribute(node.attrs[name]) + '"';
			out += '>';
			if (VOID_ELEMENTS.has(node.tag)) continue;
			write(node.children);
			out += '</' + node.tag + '>';
		}
	};
	write(nodes);
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
