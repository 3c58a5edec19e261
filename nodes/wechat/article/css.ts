// Inline style declarations an article may keep: no function that loads a resource or runs code.
// Declarations are judged as a browser reads them, CSS escapes decoded (`u\rl(`, `\75 rl(`) and
// comments gone, and only functions on an allow-list may appear: a deny-list missed image-set().
import { fromCodePoint } from './entities';

/** Functions that compute a colour, length, shape, transform or timing; none fetches anything. */
const ALLOWED_FUNCTIONS = new Set([
	'rgb', 'rgba', 'hsl', 'hsla', 'hwb', 'lab', 'lch', 'oklab', 'oklch', 'color', 'color-mix', 'light-dark',
	'calc', 'min', 'max', 'clamp', 'var', 'env', 'fit-content', 'minmax', 'repeat', 'counter', 'counters',
	'linear-gradient', 'radial-gradient', 'conic-gradient', 'repeating-linear-gradient',
	'repeating-radial-gradient', 'repeating-conic-gradient', '-webkit-linear-gradient', '-webkit-radial-gradient',
	'matrix', 'matrix3d', 'translate', 'translatex', 'translatey', 'translatez', 'translate3d', 'scale', 'scalex',
	'scaley', 'scalez', 'scale3d', 'rotate', 'rotatex', 'rotatey', 'rotatez', 'rotate3d', 'skew', 'skewx', 'skewy',
	'perspective', 'cubic-bezier', 'steps', 'blur', 'brightness', 'contrast', 'drop-shadow', 'grayscale',
	'hue-rotate', 'invert', 'opacity', 'saturate', 'sepia', 'inset', 'circle', 'ellipse', 'polygon', 'rect',
]);
/** Words that run code or load something in some browser outside a function (expression() is one). */
const UNSAFE_WORDS = /javascript:|vbscript:|behavior\s*:|-moz-binding|@import/i;
const NAME_CHAR = /[\w-]/;
const CSS_ESCAPE = /\\(?:([0-9a-fA-F]{1,6})(?:\r\n|[ \t\r\n\f])?|(\r\n|[\r\n\f])|([\s\S])|$)/g;

/** CSS escapes as a browser decodes them: `\75 ` and `\000075` are "u", `\r` is "r". */
export function decodeCssEscapes(value: string): string {
	if (!value.includes('\\')) return value;
	return value.replace(CSS_ESCAPE, (_match, hex?: string, newline?: string, char?: string) => {
		if (hex !== undefined) return fromCodePoint(Number.parseInt(hex, 16));
		if (newline !== undefined) return '';
		return char ?? '\ufffd';
	});
}

/** Comments removed; an unclosed one runs to the end, as in CSS. */
function withoutComments(value: string): string {
	let out = '';
	let pos = 0;
	for (;;) {
		const open = value.indexOf('/*', pos);
		if (open === -1) return out + value.slice(pos);
		out += `${value.slice(pos, open)} `;
		const close = value.indexOf('*/', open + 2);
		if (close === -1) return out;
		pos = close + 2;
	}
}

/** The lower-case names of the functions `css` calls (a name, optional spaces, then `(`). */
function functionNames(css: string): string[] {
	const names: string[] = [];
	for (let paren = css.indexOf('('); paren !== -1; paren = css.indexOf('(', paren + 1)) {
		// Each scan back stops at the previous `(`, so the whole walk stays linear.
		let end = paren;
		while (end > 0 && /\s/.test(css[end - 1])) end--;
		let start = end;
		while (start > 0 && NAME_CHAR.test(css[start - 1])) start--;
		if (start < end) names.push(css.slice(start, end).toLowerCase());
	}
	return names;
}

/** Whether CSS text (a declaration, or an SVG presentation attribute's value) calls only allowed functions. */
export function isSafeCss(css: string): boolean {
	const decoded = withoutComments(decodeCssEscapes(css));
	return !UNSAFE_WORDS.test(decoded) && functionNames(decoded).every((name) => ALLOWED_FUNCTIONS.has(name));
}

/** `style` without its unsafe declarations; `onRemoved` hears of each removal. */
export function cleanStyle(style: string, onRemoved: () => void): string {
	// A function name never spans a `;` (neither a name character nor space, escaped or not), so
	// each declaration can be judged alone.
	const kept = style.split(';').filter((declaration) => {
		if (isSafeCss(declaration)) return true;
		onRemoved();
		return false;
	});
	return kept.join(';').trim();
}
