// TeX in Markdown ($…$, $$…$$, \(…\), \[…\]) as SVG, drawn by MathJax with its glyphs as paths (no
// font, no <defs>: WeChat drops both). Each formula becomes an html token, so the SVG reaches the
// sanitiser's SVG allow-list like any inline SVG. TeX MathJax cannot draw stays exactly as written
// in a <code>, and the sanitiser names it in a warning.
import { escapeAttribute, escapeText } from './entities';
import type { MarkdownIt, StateBlock, StateInline } from '../vendor/markdown-it';
import type * as MathJax from '../vendor/mathjax';

/** Class of the <code> holding TeX that was not drawn; its data-tex-error says why. */
export const TEX_KEPT_CLASS = 'math-tex';
export const TEX_ERROR_ATTRIBUTE = 'data-tex-error';
/** Drawing costs milliseconds a formula: an article draws at most this many, and none longer than this. */
export const MAX_FORMULAS = 500;
const MAX_TEX_LENGTH = 5000;

type Draw = (tex: string, display: boolean) => string;
let drawSvg: Draw | undefined;

function mathJax(): Draw {
	if (drawSvg) return drawSvg;
	// Loaded and set up on the first formula: its 1.6 MB take about 80 ms to load, which a process
	// whose articles hold no math never pays.
	const { liteAdaptor, mathjax, RegisterHTMLHandler, SVG, TeX } = require('../vendor/mathjax') as typeof MathJax;
	const adaptor = liteAdaptor();
	RegisterHTMLHandler(adaptor);
	const document = mathjax.document('', {
		// An error is thrown, not drawn in red: the TeX is then kept as written.
		InputJax: new TeX({ packages: ['base', 'ams'], formatError: (_jax: unknown, error: Error) => { throw error; } }),
		OutputJax: new SVG({ fontCache: 'none' }),
	});
	drawSvg = (tex, display) => adaptor.outerHTML(adaptor.firstChild(document.convert(tex, { display })) as never);
	return drawSvg;
}

interface MathEnv {
	mathFormulas?: number;
	mathClosers?: { source: string; positions: Map<string, number[]> };
}

/** HTML for one formula: its SVG, or its source in a <code> with the reason it was not drawn. */
function formulaHtml(source: string, tex: string, display: boolean, inParagraph: boolean, env: MathEnv): string {
	env.mathFormulas = (env.mathFormulas ?? 0) + 1;
	let reason: string;
	if (env.mathFormulas > MAX_FORMULAS) reason = `an article draws at most ${MAX_FORMULAS} formulas`;
	else if (tex.length > MAX_TEX_LENGTH) reason = `a formula is drawn up to ${MAX_TEX_LENGTH} characters`;
	else {
		try {
			// The TeX as the drawing's label: screen readers read it, and so does the article's text (digests).
			const svg = mathJax()(tex, display).replace(/^<svg /, `<svg aria-label="${escapeAttribute(tex.trim())}" `);
			if (!display) return svg;
			// Display math in a paragraph stays in it: a <section> would end the paragraph.
			const tag = inParagraph ? 'span' : 'section';
			return `<${tag} style="display:block;text-align:center;overflow-x:auto;margin:1em 0;">${svg}</${tag}>`;
		} catch (error) {
			reason = (error as Error).message || 'MathJax could not draw it';
		}
	}
	const code = `<code class="${TEX_KEPT_CLASS}" ${TEX_ERROR_ATTRIBUTE}="${escapeAttribute(reason)}">${escapeText(source)}</code>`;
	// A block keeps its lines.
	return display && !inParagraph ? `<pre>${code}</pre>` : code;
}

/** `compute()` once per source text and key: every rule call looks positions up instead of scanning on. */
function cached(env: MathEnv, source: string, key: string, compute: () => number[]): number[] {
	if (env.mathClosers?.source !== source) env.mathClosers = { source, positions: new Map() };
	let positions = env.mathClosers.positions.get(key);
	if (!positions) env.mathClosers.positions.set(key, (positions = compute()));
	return positions;
}

/** Where `closer` occurs in `source`, ascending (for `$`, only where it may close: after a non-space, not before a digit). */
function closerPositions(source: string, closer: string, env: MathEnv): number[] {
	return cached(env, source, closer, () => {
		const positions: number[] = [];
		for (let at = source.indexOf(closer); at !== -1; at = source.indexOf(closer, at + closer.length)) {
			let backslashes = 0;
			while (source[at - 1 - backslashes] === '\\') backslashes++;
			// An escaped closer (\$, or \\) where the backslash of \) is itself escaped) closes nothing.
			if (backslashes % 2 === 1) continue;
			if (closer === '$' && (/\s/.test(source[at - 1] ?? ' ') || /\d/.test(source[at + 1] ?? ''))) continue;
			positions.push(at);
		}
		return positions;
	});
}

/** The first of the ascending `positions` at or after `from`, or -1. */
function firstFrom(positions: number[], from: number): number {
	let low = 0;
	let high = positions.length;
	while (low < high) {
		const middle = (low + high) >> 1;
		if (positions[middle] < from) low = middle + 1;
		else high = middle;
	}
	return positions[low] ?? -1;
}

const INLINE_DELIMITERS: Array<[string, string, boolean]> = [
	['$$', '$$', true],
	['$', '$', false],
	['\\(', '\\)', false],
	['\\[', '\\]', true],
];

function mathInline(state: StateInline, silent: boolean): boolean {
	const source = state.src;
	const start = state.pos;
	const delimiters = INLINE_DELIMITERS.find(([open]) => source.startsWith(open, start));
	if (!delimiters) return false;
	const [open, close, display] = delimiters;
	const texStart = start + open.length;
	// "$5 to $10" is no formula: a single $ opens only before a non-space and closes only after one.
	if (open === '$' && /\s/.test(source[texStart] ?? ' ')) return false;
	const end = firstFrom(closerPositions(source, close, state.env as MathEnv), open === '$' ? texStart + 1 : texStart);
	if (end === -1 || end + close.length > state.posMax || end === texStart) return false;
	if (!silent) {
		const token = state.push('html_inline', '', 0);
		token.content = formulaHtml(source.slice(start, end + close.length), source.slice(texStart, end), display, true, state.env as MathEnv);
	}
	state.pos = end + close.length;
	return true;
}

const BLOCK_DELIMITERS: Array<[string, string]> = [
	['$$', '$$'],
	['\\[', '\\]'],
];

/** Where `closer` ends a line of `source` (only spaces or tabs after it), ascending. */
function lineEndCloserPositions(source: string, closer: string, env: MathEnv): number[] {
	return cached(env, source, `${closer} at a line end`, () =>
		closerPositions(source, closer, env).filter((at) => {
			let after = at + closer.length;
			while (source[after] === ' ' || source[after] === '\t') after++;
			return after === source.length || source[after] === '\n' || source[after] === '\r';
		}),
	);
}

/** The line of `state` holding source position `at`, between `first` and `limit` (exclusive). */
function lineOf(state: StateBlock, at: number, first: number, limit: number): number {
	let low = first;
	let high = limit - 1;
	while (low < high) {
		const middle = (low + high + 1) >> 1;
		if (state.bMarks[middle] <= at) low = middle;
		else high = middle - 1;
	}
	return low;
}

function mathBlock(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
	if (state.sCount[startLine] - state.blkIndent >= 4) return false;
	const lineStart = state.bMarks[startLine] + state.tShift[startLine];
	const delimiters = BLOCK_DELIMITERS.find(([open]) => state.src.startsWith(open, lineStart));
	if (!delimiters) return false;
	const [open, close] = delimiters;
	// The formula ends at the first closer that ends a line, this one or a later one.
	const end = firstFrom(lineEndCloserPositions(state.src, close, state.env as MathEnv), lineStart + open.length);
	if (end === -1 || end >= state.eMarks[endLine - 1]) return false;
	const last = lineOf(state, end, startLine, endLine);
	const source = state.getLines(startLine, last + 1, state.blkIndent, false).trim();
	const tex = source.slice(open.length, -close.length);
	if (!source.endsWith(close) || tex.trim() === '') return false;
	if (silent) return true;
	const token = state.push('html_block', '', 0);
	token.map = [startLine, last + 1];
	token.content = `${formulaHtml(source, tex, true, false, state.env as MathEnv)}\n`;
	state.line = last + 1;
	return true;
}

/** The markdown-it plugin: TeX between math delimiters, inline and as blocks, drawn as SVG. */
export function markdownItMath(md: InstanceType<typeof MarkdownIt>): void {
	md.inline.ruler.before('escape', 'math_inline', mathInline);
	md.block.ruler.before('fence', 'math_block', mathBlock, { alt: ['paragraph', 'reference', 'blockquote', 'list'] });
}
