// Code blocks as WeChat keeps them: its editor collapses whitespace, so spaces are &nbsp;, tabs four
// of them and line breaks <br>; each highlighted token takes its theme colour. Two routes write the
// same markup: code this package highlighted (runs, written straight to HTML, which keeps a long
// block cheap: bench row 6) and highlighted HTML input (spans with highlight.js classes, restyled
// in the tree).
import { scopeClass, type Run, type Scope } from './highlight';
import { replaceChars, TEXT_ESCAPES } from './entities';
import { element, escapeAttribute, text, type HtmlNode } from './html';

/** Code text in the tree as WeChat keeps it: &nbsp; for spaces, four for a tab, <br> for line breaks. */
export function preserveWhitespace(nodes: HtmlNode[]): HtmlNode[] {
	// Most lists (a token's text) hold no line break: changed in place, no new list.
	const breaks = nodes.some((node) => node.type === 'text' && !node.code && node.text.includes('\n'));
	const result: HtmlNode[] = breaks ? [] : nodes;
	for (const node of nodes) {
		if (node.type === 'text' && node.code) {
			// Highlighted runs: their markup (CodeColors) already says it this way.
			if (breaks) result.push(node);
			continue;
		}
		if (node.type === 'element') {
			node.children = preserveWhitespace(node.children);
			if (breaks) result.push(node);
			continue;
		}
		const value = node.text.includes('\t') ? node.text.replaceAll('\t', '    ') : node.text;
		if (!breaks) {
			node.text = value.replaceAll(' ', '\u00a0');
			continue;
		}
		value.split('\n').forEach((line, index) => {
			if (index > 0) result.push(element('br'));
			if (line) result.push(text(line.replaceAll(' ', '\u00a0')));
		});
	}
	return result;
}

/** Text escaping, and whitespace as preserveWhitespace keeps it. */
const CODE_ESCAPES: Record<number, string> = { ...TEXT_ESCAPES, 9: '&nbsp;&nbsp;&nbsp;&nbsp;', 10: '<br>', 32: '&nbsp;' };

/** The markup preserveWhitespace and serialising give the same text, in one pass over it. */
function whitespaceHtml(value: string): string {
	return replaceChars(value, CODE_ESCAPES);
}

/** A code block's last line break is the fence's, not the code's. */
export function trimTrailingNewline(nodes: HtmlNode[]): void {
	const last = nodes[nodes.length - 1];
	if (last?.type === 'element') return trimTrailingNewline(last.children);
	if (!last?.text.endsWith('\n')) return;
	last.text = last.text.slice(0, -1);
	const runs = last.code?.runs;
	const lastRun = runs?.[runs.length - 1];
	if (runs && lastRun) runs[runs.length - 1] = [lastRun[0], lastRun[1].slice(0, -1)];
}

/** A theme's code colours, by highlight.js class: a block has few distinct ones, so each is worked out once. */
export class CodeColors {
	private readonly styles = new Map<string, string>();
	private readonly scopeStyles = new Map<Scope, string>();

	constructor(private readonly colors: Record<string, string>) {}

	/** The style of a token's classes (hljs-title function_ → the title.function colour); '' for none. */
	private styleOf(classes: string): string {
		let style = this.styles.get(classes);
		if (style !== undefined) return style;
		const names = classes.split(/\s+/);
		const scope = names.find((name) => name.startsWith('hljs-'))?.slice(5);
		style = '';
		if (scope) {
			const sub = names.find((name) => name.endsWith('_'))?.slice(0, -1);
			const color = (sub && this.colors[`${scope}.${sub}`]) || this.colors[scope];
			style = `${color ? `color:${color};` : ''}${scope === 'comment' ? 'font-style:italic;' : ''}`;
		}
		this.styles.set(classes, style);
		return style;
	}

	/**
	 * Colours code: highlighted runs get their markup; in highlighted HTML input each element's
	 * classes become its colour (an author's own style wins).
	 */
	restyle(nodes: HtmlNode[]): HtmlNode[] {
		for (const node of nodes) {
			if (node.type === 'text') {
				if (node.code) node.code.html = this.markup(node.code.runs);
				continue;
			}
			const style = node.attrs.class === undefined ? '' : this.styleOf(node.attrs.class);
			delete node.attrs.class;
			delete node.attrs.id;
			if (style && node.attrs.style === undefined) node.attrs.style = style;
			node.children = this.restyle(node.children);
		}
		return nodes;
	}

	/** Highlighted runs as the markup restyle and preserveWhitespace give their spans. */
	private markup(runs: Run[]): string {
		let html = '';
		for (const [scope, value] of runs) {
			if (!value) continue;
			const body = whitespaceHtml(value);
			if (!scope) {
				html += body;
				continue;
			}
			let style = this.scopeStyles.get(scope);
			if (style === undefined) {
				style = this.styleOf(scopeClass(scope));
				this.scopeStyles.set(scope, style);
			}
			html += style ? `<span style="${escapeAttribute(style)}">${body}</span>` : `<span>${body}</span>`;
		}
		return html;
	}
}
