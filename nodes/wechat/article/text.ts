// The plain text of an article, for counting and digests: one line per block, no markup.
import type { HtmlNode } from './html';

const BLOCKS = new Set([
	'blockquote', 'caption', 'dd', 'div', 'dl', 'dt', 'figcaption', 'figure', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
	'hr', 'li', 'ol', 'p', 'pre', 'section', 'table', 'tr', 'ul',
]);

/** The characters of `nodes`, markup left out and nothing else changed. */
export function textContent(nodes: HtmlNode[]): string {
	let out = '';
	for (const node of nodes) out += node.type === 'text' ? node.text : textContent(node.children);
	return out;
}

function collect(nodes: HtmlNode[], out: string[], inPre: boolean): void {
	for (const node of nodes) {
		if (node.type === 'text') {
			out.push(inPre || !/\s\s|[\t\n\r\f]/.test(node.text) ? node.text : node.text.replace(/\s+/g, ' '));
		} else if (node.tag === 'br') {
			out.push('\n');
		} else if (node.tag === 'svg' && node.attrs['aria-label']) {
			// A drawing says what it shows (drawn math: its TeX).
			out.push(node.attrs['aria-label']);
		} else if (node.tag === 'td' || node.tag === 'th') {
			out.push(' ');
			collect(node.children, out, inPre);
			out.push(' ');
		} else if (BLOCKS.has(node.tag)) {
			out.push('\n');
			collect(node.children, out, inPre || node.tag === 'pre');
			out.push('\n');
		} else {
			collect(node.children, out, inPre);
		}
	}
}

export function plainText(nodes: HtmlNode[]): string {
	const out: string[] = [];
	collect(nodes, out, false);
	// One line per block: blank lines and the spaces around line breaks go (line by line: a
	// pattern over the whole text cost half of this function, bench row 6).
	const lines = out
		.join('')
		.replaceAll('\u2060', '') // the word joiner before reference marks
		.split('\n');
	let text = '';
	for (const line of lines) {
		const trimmed = line.trim();
		if (trimmed) text += text ? `\n${trimmed}` : trimmed;
	}
	return text.replaceAll('\u00a0', ' ');
}
