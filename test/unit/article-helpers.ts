/** Reading rendered article HTML back as a tree, to assert its structure rather than its bytes. */
import { forEachElement, parseHtml, type HtmlElement } from '../../nodes/wechat/article/html';
import { textContent } from '../../nodes/wechat/article/text';

export function elements(html: string, tag?: string): HtmlElement[] {
	const found: HtmlElement[] = [];
	forEachElement(parseHtml(html).children, (node) => {
		if (tag === undefined || node.tag === tag) found.push(node);
	});
	return found;
}

export function only(html: string, tag: string): HtmlElement {
	const found = elements(html, tag);
	if (found.length !== 1) throw new Error(`expected one <${tag}>, found ${found.length} in ${html}`);
	return found[0];
}

export function textOf(node: HtmlElement): string {
	return textContent(node.children);
}

/** The declarations of a style attribute, as property → value (the last one wins, as in CSS). */
export function styleOf(node: HtmlElement): Record<string, string> {
	const declarations: Record<string, string> = {};
	for (const part of (node.attrs.style ?? '').split(';')) {
		const colon = part.indexOf(':');
		if (colon > 0) declarations[part.slice(0, colon).trim()] = part.slice(colon + 1).trim();
	}
	return declarations;
}
