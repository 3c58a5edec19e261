// Callouts: GitHub alerts (a blockquote opening with `[!NOTE]`, TIP, IMPORTANT, WARNING or
// CAUTION) and `:::` containers (note, tip, warning, danger, info, then an optional title). Both
// become a section with the callout's classes and a title paragraph; the styling step gives them
// their colours. A core rule on markdown-it's tokens, before inline parsing.
import type { StateCore, Token } from '../vendor/markdown-it';

export const CALLOUT_KINDS = ['note', 'tip', 'important', 'warning', 'caution', 'danger', 'info'] as const;
export type CalloutKind = (typeof CALLOUT_KINDS)[number];

/** Classes the styling step gives a look, per kind: `callout-<kind>` and `callout-title-<kind>`. */
export const CALLOUT_CLASS = {
	box: (kind: CalloutKind) => `callout-${kind}`,
	title: (kind: CalloutKind) => `callout-title-${kind}`,
} as const;

const LABELS: Record<CalloutKind, string> = {
	note: 'Note', tip: 'Tip', important: 'Important', warning: 'Warning', caution: 'Caution', danger: 'Danger', info: 'Info',
};

const ALERT = /^\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\][ \t]*(?:\n|$)/i;
/** What markdown-it-container accepts after `:::` (its token type is container_callout_*). */
export const CONTAINER = /^\s*(note|tip|warning|danger|info)(?:\s+(.*))?$/i;
export const CONTAINER_NAME = 'callout';

function titleTokens(state: StateCore, kind: CalloutKind, title: string, level: number): Token[] {
	const open = new state.Token('paragraph_open', 'p', 1);
	open.attrSet('class', CALLOUT_CLASS.title(kind));
	open.block = true;
	open.level = level + 1;
	const inline = new state.Token('inline', '', 0);
	inline.content = title;
	inline.children = [];
	inline.level = level + 2;
	const close = new state.Token('paragraph_close', 'p', -1);
	close.block = true;
	close.level = level + 1;
	return [open, inline, close];
}

function makeCallout(state: StateCore, index: number, kind: CalloutKind, title: string): void {
	const open = state.tokens[index];
	open.tag = 'section';
	open.attrs = [['class', CALLOUT_CLASS.box(kind)]];
	let depth = 0;
	for (let end = index; end < state.tokens.length; end++) {
		depth += state.tokens[end].nesting;
		if (depth === 0) {
			state.tokens[end].tag = 'section';
			break;
		}
	}
	state.tokens.splice(index + 1, 0, ...titleTokens(state, kind, title, open.level));
}

/** Turns alerts and containers into callouts. */
export function callouts(state: StateCore): void {
	const tokens = state.tokens;
	for (let index = 0; index < tokens.length; index++) {
		const token = tokens[index];
		if (token.type === `container_${CONTAINER_NAME}_open`) {
			const [, kind, title] = CONTAINER.exec(token.info) ?? [];
			const name = (kind ?? 'note').toLowerCase() as CalloutKind;
			makeCallout(state, index, name, title?.trim() || LABELS[name]);
			continue;
		}
		if (token.type !== 'blockquote_open' || tokens[index + 1]?.type !== 'paragraph_open') continue;
		const inline = tokens[index + 2];
		const match = inline?.type === 'inline' ? ALERT.exec(inline.content) : null;
		if (!match) continue;
		const kind = match[1].toLowerCase() as CalloutKind;
		inline.content = inline.content.slice(match[0].length);
		// A marker alone on its paragraph leaves nothing of it.
		if (inline.content.trim() === '') tokens.splice(index + 1, 3);
		makeCallout(state, index, kind, LABELS[kind]);
	}
}
