// Character references in and out: decoding what HTML input says, escaping what we write.
import { MarkdownIt } from '../vendor/markdown-it';

const { utils } = new MarkdownIt();
const ENTITY = /&(?:#(\d{1,8})|#[xX]([0-9a-fA-F]{1,8})|([a-zA-Z][a-zA-Z0-9]{1,31}));?/g;
/** The references browsers also read without a semicolon; with one, the common ones need no table look-up. */
const LEGACY_NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', nbsp: '\u00a0' };

/** The character of a code point a reference or escape names; U+FFFD for one no character has. */
export function fromCodePoint(code: number): string {
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
		return LEGACY_NAMED[name as string] ?? utils.unescapeAll(match);
	});
}

const TEXT_SPECIAL = /[&<>\u00a0]/;
const ATTRIBUTE_SPECIAL = /[&<>"\u00a0]/;
export const TEXT_ESCAPES: Record<number, string> = { 38: '&amp;', 60: '&lt;', 62: '&gt;', 160: '&nbsp;' };
const ATTRIBUTE_ESCAPES: Record<number, string> = { ...TEXT_ESCAPES, 34: '&quot;' };

/**
 * `value` with each character that `replacements` names (by char code) replaced, in one pass: on
 * code, where nearly every text holds &nbsp;, a third of what a replace with a callback cost.
 */
export function replaceChars(value: string, replacements: Record<number, string>): string {
	let out = '';
	let copied = 0;
	for (let index = 0; index < value.length; index++) {
		const replacement = replacements[value.charCodeAt(index)];
		if (replacement === undefined) continue;
		out += value.slice(copied, index) + replacement;
		copied = index + 1;
	}
	return copied === 0 ? value : out + value.slice(copied);
}

// The test (which also makes a concatenated string flat) passes over most values untouched.
export function escapeText(value: string): string {
	return TEXT_SPECIAL.test(value) ? replaceChars(value, TEXT_ESCAPES) : value;
}

export function escapeAttribute(value: string): string {
	return ATTRIBUTE_SPECIAL.test(value) ? replaceChars(value, ATTRIBUTE_ESCAPES) : value;
}
