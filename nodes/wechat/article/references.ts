// Links and footnotes the way WeChat readers expect: WeChat keeps a link's target only for its own
// articles (mp.weixin.qq.com), so any other link becomes its text plus a numbered entry in a list
// at the end. Markdown footnotes share that numbering, so every "[n]" in the text means one entry.
import { element, text, type HtmlElement, type HtmlNode } from './html';
import { textContent } from './text';
import { urlScheme } from './sanitize';
import type { Warnings } from './warnings';

export interface ArticleLink {
	href: string;
	text: string;
	/** The number of its entry in the list at the end, when it got one. */
	footnote?: number;
}

/** Classes the styling step gives a look; they are removed before output. */
export const REFERENCE_CLASS = {
	mark: 'ref-mark',
	list: 'ref-list',
	entry: 'ref-entry',
	number: 'ref-number',
	url: 'ref-url',
	/** A paragraph of an entry that has several (a long footnote). */
	entryParagraph: 'ref-entry-p',
} as const;

/** Keeps a mark on the line of the word before it (after 》 or ） a line may otherwise break). */
export const WORD_JOINER = '\u2060';
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

const WECHAT_ARTICLE_HOST = 'mp.weixin.qq.com';

type Entry = { number: number; content: HtmlNode[] };

function hasClass(node: HtmlElement, name: string): boolean {
	return (node.attrs.class ?? '').split(/\s+/).includes(name);
}

function isWeChatArticle(href: string): boolean {
	const host = /^https?:\/\/([^/?#\\]+)/i.exec(href)?.[1].replace(/^[^@]*@/, '').replace(/:\d*$/, '');
	return host?.toLowerCase() === WECHAT_ARTICLE_HOST;
}

function mark(number: number): HtmlNode[] {
	return [text(WORD_JOINER), element('sup', { class: REFERENCE_CLASS.mark }, [text(`[${number}]`)])];
}

/** Markdown footnote bodies (markdown-it-footnote's list), by id, without their back-links. */
function takeFootnoteBodies(nodes: HtmlNode[], bodies: Map<string, HtmlNode[]>): HtmlNode[] {
	return nodes.filter((node) => {
		if (node.type !== 'element') return true;
		if (node.tag === 'hr' && hasClass(node, 'footnotes-sep')) return false;
		if (node.tag === 'section' && hasClass(node, 'footnotes')) {
			const items: HtmlElement[] = [];
			const collect = (children: HtmlNode[]) => {
				for (const child of children) {
					if (child.type !== 'element') continue;
					if (child.tag === 'li' && hasClass(child, 'footnote-item')) items.push(child);
					else collect(child.children);
				}
			};
			collect(node.children);
			for (const item of items) bodies.set(item.attrs.id ?? '', withoutBackLinks(item.children));
			return false;
		}
		node.children = takeFootnoteBodies(node.children, bodies);
		return true;
	});
}

function withoutBackLinks(nodes: HtmlNode[]): HtmlNode[] {
	const kept = nodes.filter((node) => node.type !== 'element' || !(node.tag === 'a' && hasClass(node, 'footnote-backref')));
	for (const node of kept) if (node.type === 'element') node.children = withoutBackLinks(node.children);
	// A single paragraph becomes the entry's inline content.
	const blocks = kept.filter((node) => node.type === 'element' || node.text.trim() !== '');
	return blocks.length === 1 && blocks[0].type === 'element' && blocks[0].tag === 'p' ? blocks[0].children : kept;
}

class References {
	readonly links: ArticleLink[] = [];
	readonly entries: Entry[] = [];
	private readonly linkNumbers = new Map<string, number>();
	private readonly noteNumbers = new Map<string, number>();
	/** Notes whose bodies are still to be transformed: after the text, so its links come first. */
	private readonly pendingNotes: { entry: Entry; id: string }[] = [];

	constructor(
		private readonly bodies: Map<string, HtmlNode[]>,
		private readonly linkFootnotes: boolean,
		private readonly warnings: Warnings,
	) {}

	/** `inHeading`: a heading keeps its links' text and gets no mark (the link stays in `links`). */
	transform(nodes: HtmlNode[], inHeading = false): HtmlNode[] {
		const result: HtmlNode[] = [];
		for (const node of nodes) {
			if (node.type === 'text') result.push(node);
			else if (node.tag === 'sup' && hasClass(node, 'footnote-ref')) result.push(...this.footnoteRef(node));
			else if (node.tag === 'a' && node.attrs.href !== undefined) result.push(...this.link(node, inHeading));
			else {
				node.children = this.transform(node.children, inHeading || HEADINGS.has(node.tag));
				result.push(node);
			}
		}
		return result;
	}

	private footnoteRef(node: HtmlElement): HtmlNode[] {
		const anchor = node.children.find((child): child is HtmlElement => child.type === 'element' && child.tag === 'a');
		const id = (anchor?.attrs.href ?? '').replace(/^#/, '');
		let number = this.noteNumbers.get(id);
		if (number === undefined) {
			number = this.entries.length + 1;
			this.noteNumbers.set(id, number);
			const entry: Entry = { number, content: [] };
			this.entries.push(entry);
			this.pendingNotes.push({ entry, id });
		}
		return mark(number);
	}

	/** Transforms the bodies of the notes referenced so far (and of those they reference). */
	finishNotes(): void {
		for (let index = 0; index < this.pendingNotes.length; index++) {
			const { entry, id } = this.pendingNotes[index];
			entry.content = this.transform(this.bodies.get(id) ?? []);
		}
	}

	private link(node: HtmlElement, inHeading: boolean): HtmlNode[] {
		const href = node.attrs.href;
		const children = this.transform(node.children, inHeading);
		const label = textContent(children).trim();
		if (href.startsWith('#')) return children; // WeChat has no in-article anchors
		if (isWeChatArticle(href)) {
			this.links.push({ href, text: label });
			node.children = children;
			return [node];
		}
		if (urlScheme(href) === '') {
			this.warnings.add(`A link to "${href}" has no host, so it cannot work in WeChat: only its text stays.`);
			return children;
		}
		if (!this.linkFootnotes) {
			this.links.push({ href, text: label });
			node.children = children;
			return [node];
		}
		// A bare URL already shows where it leads; a heading reads as a heading, without marks.
		if (inHeading || label === href || label === href.replace(/^[a-z]+:(\/\/)?/i, '')) {
			this.links.push({ href, text: label });
			return children;
		}
		let number = this.linkNumbers.get(href);
		if (number === undefined) {
			number = this.entries.length + 1;
			this.linkNumbers.set(href, number);
			this.entries.push({
				number,
				content: [text(`${label}: `), element('span', { class: REFERENCE_CLASS.url }, [text(href)])],
			});
		}
		this.links.push({ href, text: label, footnote: number });
		return [...children, ...mark(number)];
	}
}

function referenceEntry({ number, content }: Entry): HtmlElement {
	const label = [element('span', { class: REFERENCE_CLASS.number }, [text(`[${number}]`)]), text(' ')];
	const paragraphs = content.filter((node): node is HtmlElement => node.type === 'element' && node.tag === 'p');
	if (paragraphs.length === 0) return element('p', { class: REFERENCE_CLASS.entry }, [...label, ...content]);
	// A note of several paragraphs (or other blocks) is a section: paragraphs never nest.
	for (const paragraph of paragraphs) paragraph.attrs.class = REFERENCE_CLASS.entryParagraph;
	const first = content.find((node) => node.type === 'element' || node.text.trim() !== '');
	if (first === paragraphs[0]) paragraphs[0].children.unshift(...label);
	else content.unshift(...label);
	return element('section', { class: REFERENCE_CLASS.entry }, content);
}

function referenceList(entries: Entry[]): HtmlElement {
	return element('section', { class: REFERENCE_CLASS.list }, entries.map(referenceEntry));
}

/**
 * Numbers footnotes and (with `linkFootnotes`) links to other sites in reading order, replaces
 * them in `root` by their text and a mark, and appends the list of entries. Returns every link.
 */
export function resolveReferences(root: HtmlElement, linkFootnotes: boolean, warnings: Warnings): ArticleLink[] {
	const bodies = new Map<string, HtmlNode[]>();
	const references = new References(bodies, linkFootnotes, warnings);
	root.children = references.transform(takeFootnoteBodies(root.children, bodies));
	references.finishNotes();
	if (references.entries.length > 0) root.children.push(referenceList(references.entries));
	return references.links;
}
