// Sanitising by allow-list: only the elements, attributes and URL schemes an article needs stay.
// WeChat strips scripts itself, but content that reaches draft/add (or a review e-mail) clean is
// what the user approved.
import { cleanStyle } from './css';
import { element, type HtmlElement, type HtmlNode } from './html';
import { TEX_ERROR_ATTRIBUTE } from './math';
import { sanitizeSvg } from './svg';
import { textContent } from './text';
import type { Warnings } from './warnings';

/** Elements removed with everything inside them: active content, forms, embedded documents. */
const REMOVED = new Set([
	'script', 'style', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'param', 'form', 'input',
	'button', 'select', 'option', 'optgroup', 'datalist', 'textarea', 'noscript', 'noembed', 'noframes',
	'template', 'head', 'title', 'link', 'meta', 'base', 'math', 'audio', 'video', 'source', 'track',
	'canvas', 'map', 'area', 'dialog', 'xmp', 'plaintext', 'portal',
]);

const KEPT = new Set([
	'a', 'abbr', 'b', 'big', 'blockquote', 'br', 'caption', 'center', 'cite', 'code', 'col', 'colgroup', 'dd', 'del',
	'dfn', 'div', 'dl', 'dt', 'em', 'figcaption', 'figure', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img',
	'ins', 'kbd', 'li', 'mark', 'ol', 'p', 'pre', 'q', 's', 'samp', 'section', 'small', 'span', 'strike', 'strong',
	'sub', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'tt', 'u', 'ul', 'var', 'wbr',
]);

/** Page-structure elements WeChat has no use for: kept as plain blocks. */
const BECOME_SECTION = new Set(['article', 'aside', 'address', 'details', 'footer', 'header', 'main', 'nav', 'summary', 'hgroup']);

/** class and id serve the renderer (code colours, footnotes) and are removed before output. */
const GLOBAL_ATTRIBUTES = new Set(['style', 'title', 'class', 'id']);
const ELEMENT_ATTRIBUTES: Record<string, Set<string>> = {
	a: new Set(['href']),
	img: new Set(['src', 'alt', 'width', 'height']),
	td: new Set(['colspan', 'rowspan', 'align']),
	th: new Set(['colspan', 'rowspan', 'align']),
	ol: new Set(['start', 'type', 'reversed']),
	col: new Set(['span']),
	colgroup: new Set(['span']),
};

const LINK_SCHEMES = new Set(['http', 'https', 'mailto', 'tel']);
const IMAGE_SCHEMES = new Set(['http', 'https', 'binary']);

/** The URL's scheme in lower case ('' for a relative URL), as a browser reads it. */
export function urlScheme(url: string): string {
	// Browsers ignore ASCII whitespace and control characters inside a scheme ("java\nscript:").
	const compact = url.replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
	return /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(compact)?.[1].toLowerCase() ?? '';
}

export function isAllowedImageSource(src: string): boolean {
	const scheme = urlScheme(src);
	if (scheme === 'data') return /^data:image\//i.test(src.trim());
	return scheme === '' || IMAGE_SCHEMES.has(scheme);
}

function cleanAttributes(node: HtmlElement, warnings: Warnings): void {
	const allowed = ELEMENT_ATTRIBUTES[node.tag];
	for (const name of Object.keys(node.attrs)) {
		if (name.startsWith('on')) {
			warnings.add('Removed event handler attributes (on…): scripts never run in a WeChat article.');
			delete node.attrs[name];
		} else if (!GLOBAL_ATTRIBUTES.has(name) && !allowed?.has(name)) {
			delete node.attrs[name];
		}
	}
	if (node.attrs.style !== undefined) {
		const style = cleanStyle(node.attrs.style, () =>
			warnings.add('Removed style declarations that load resources or run code (url(), image-set(), expression()).'),
		);
		if (style) node.attrs.style = style;
		else delete node.attrs.style;
	}
	if (node.attrs.href !== undefined) {
		const href = node.attrs.href.trim();
		const scheme = urlScheme(href);
		if (scheme !== '' && !LINK_SCHEMES.has(scheme)) {
			warnings.add(`Removed a link with a "${scheme}:" URL; its text stays.`);
			delete node.attrs.href;
		} else {
			node.attrs.href = href;
		}
	}
}

/** TeX the Markdown step could not draw is said by name (its reason goes with the other data-* attributes). */
function noteKeptTex(node: HtmlElement, warnings: Warnings): void {
	const reason = node.attrs[TEX_ERROR_ATTRIBUTE];
	if (node.tag !== 'code' || reason === undefined) return;
	warnings.add(`Kept the math ${textContent(node.children)} as TeX, not drawn: ${reason}.`);
}

/** Sanitises `nodes` in place; `warnings` learns what was removed. */
export function sanitizeNodes(nodes: HtmlNode[], warnings: Warnings): HtmlNode[] {
	const result: HtmlNode[] = [];
	for (const node of nodes) {
		if (node.type === 'text') {
			result.push(node);
			continue;
		}
		if (node.tag === 'svg') {
			result.push(sanitizeSvg(node, warnings));
			continue;
		}
		if (REMOVED.has(node.tag)) {
			warnings.add(`Removed <${node.tag}> elements: WeChat articles cannot hold them.`);
			continue;
		}
		node.children = sanitizeNodes(node.children, warnings);
		if (node.tag === 'img') {
			const src = (node.attrs.src ?? '').trim();
			if (!src || !isAllowedImageSource(src)) {
				warnings.add(src ? `Removed an image whose src has the "${urlScheme(src)}:" scheme.` : 'Removed an image without a src.');
				continue;
			}
			node.attrs.src = src;
		}
		if (KEPT.has(node.tag)) {
			noteKeptTex(node, warnings);
			cleanAttributes(node, warnings);
			// A link that leads nowhere is its text.
			if (node.tag === 'a' && node.attrs.href === undefined) result.push(...node.children);
			else result.push(node);
		} else if (BECOME_SECTION.has(node.tag)) {
			result.push(element('section', {}, node.children));
		} else {
			// Unknown elements (html, body, font, custom tags) give way to their content.
			result.push(...node.children);
		}
	}
	return result;
}
