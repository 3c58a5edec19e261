// Languages whose shape is not words and punctuation: HTML/XML (tags, attributes; a <script> or
// <style> holds JavaScript or CSS), CSS (selectors, then properties and values) and YAML (keys,
// list bullets, values). Each is one pass that never goes back.
import { RunList } from './runs';
import { isSpace, scanCode, through, type Grammar } from './scanner';

/** A character of a CSS name (color, -webkit-box, h1), or with `xml` also of a tag or attribute name (svg:path, data.x). */
function isNameChar(char: number, xml = false): boolean {
	return (
		(char >= 97 && char <= 122) || (char >= 65 && char <= 90) || (char >= 48 && char <= 57) ||
		char === 45 || char === 95 || char >= 128 || (xml && (char === 58 || char === 46))
	);
}

function nameEnd(code: string, pos: number, end: number, xml = false): number {
	while (pos < end && isNameChar(code.charCodeAt(pos), xml)) pos++;
	return pos;
}

function skipSpaces(code: string, pos: number, end: number): number {
	while (pos < end && isSpace(code.charCodeAt(pos))) pos++;
	return pos;
}

/** A start or end tag from its `<`: `<`, name, attributes and values, `>`. Returns where it ends. */
function tag(code: string, runs: RunList, start: number, end: number): number {
	let pos = code.charCodeAt(start + 1) === 47 ? start + 2 : start + 1;
	runs.add('tag', start, pos);
	const name = nameEnd(code, pos, end, true);
	runs.add('name', pos, name);
	pos = name;
	while (pos < end) {
		pos = skipSpaces(code, pos, end);
		const char = code[pos];
		if (char === '>' || (char === '/' && code[pos + 1] === '>')) {
			const close = char === '>' ? pos + 1 : pos + 2;
			runs.add('tag', pos, close);
			return close;
		}
		if (char === '"' || char === "'") {
			const valueEnd = through(code, char, pos + 1, end);
			runs.add('string', pos, valueEnd);
			pos = valueEnd;
		} else if (char === '=') {
			pos++;
			const valueEnd = code[pos] === '"' || code[pos] === "'" ? pos : nameEnd(code, pos, end, true);
			runs.add('string', pos, valueEnd);
			pos = valueEnd;
		} else {
			const attrEnd = nameEnd(code, pos, end, true);
			runs.add('attr', pos, attrEnd);
			// Anything else (a stray character) is passed over.
			pos = attrEnd === pos ? pos + 1 : attrEnd;
		}
	}
	return end;
}

/** HTML or XML; a <script>'s content is read with `script`, a <style>'s as CSS. */
export function scanMarkup(code: string, runs: RunList, script: Grammar, start = 0, end = code.length): void {
	let pos = start;
	while (pos < end) {
		const lt = code.indexOf('<', pos);
		if (lt === -1 || lt >= end) return;
		const next = code.charCodeAt(lt + 1);
		if (code.startsWith('<!--', lt)) {
			pos = through(code, '-->', lt + 4, end);
			runs.add('comment', lt, pos);
		} else if (next === 33 || next === 63) {
			// <!DOCTYPE …>, <?xml …?>, <![CDATA[…]]>
			pos = through(code, code.startsWith('<![CDATA[', lt) ? ']]>' : '>', lt + 2, end);
			runs.add('meta', lt, pos);
		} else if (isNameChar(next, true) || next === 47) {
			const nameStart = next === 47 ? lt + 2 : lt + 1;
			const name = code.slice(nameStart, nameEnd(code, nameStart, end, true)).toLowerCase();
			pos = tag(code, runs, lt, end);
			if (next !== 47 && (name === 'script' || name === 'style')) {
				const closer = new RegExp(`</${name}`, 'gi');
				closer.lastIndex = pos;
				const close = closer.exec(code)?.index ?? -1;
				const contentEnd = close === -1 || close > end ? end : close;
				if (name === 'script') scanCode(code, script, runs, pos, contentEnd);
				else scanCss(code, runs, pos, contentEnd);
				pos = contentEnd;
			}
		} else {
			pos = lt + 1;
		}
	}
}

/** The next of `{`, `;` and `}` from `pos`: `{` means a selector comes first. */
function selectorAhead(code: string, pos: number, end: number): boolean {
	for (; pos < end; pos++) {
		const char = code[pos];
		if (char === '{') return true;
		if (char === ';' || char === '}') return false;
	}
	return false;
}

export function scanCss(code: string, runs: RunList, start = 0, end = code.length): void {
	let pos = start;
	let inSelector = selectorAhead(code, pos, end);
	let atPropertyStart = !inSelector;
	while (pos < end) {
		const char = code[pos];
		const from = pos;
		if (code.startsWith('/*', pos)) {
			pos = through(code, '*/', pos + 2, end);
			runs.add('comment', from, pos);
		} else if (char === '"' || char === "'") {
			pos = through(code, char, pos + 1, end);
			runs.add('string', from, pos);
		} else if (char === '{' || char === ';' || char === '}') {
			pos++;
			inSelector = selectorAhead(code, pos, end);
			atPropertyStart = !inSelector;
		} else if (char === '@') {
			pos = nameEnd(code, pos + 1, end);
			runs.add('keyword', from, pos);
		} else if (inSelector && (char === '.' || char === '#') && isNameChar(code.charCodeAt(pos + 1))) {
			pos = nameEnd(code, pos + 1, end);
			runs.add(char === '.' ? 'selector-class' : 'selector-id', from, pos);
		} else if (/[0-9]/.test(char) || (char === '#' && !inSelector) || (char === '.' && /[0-9]/.test(code[pos + 1] ?? ''))) {
			// 12px, 1.5em, 50%, #fff
			pos = nameEnd(code, pos + 1, end);
			if (code[pos] === '%') pos++;
			runs.add('number', from, pos);
		} else if (isNameChar(code.charCodeAt(pos))) {
			pos = nameEnd(code, pos, end);
			if (inSelector) runs.add('selector-tag', from, pos);
			else if (atPropertyStart) runs.add('attribute', from, pos);
			else if (code[pos] === '(') runs.add('built_in', from, pos);
			atPropertyStart = false;
		} else {
			pos++;
		}
	}
}

const YAML_LITERALS = new Set(['true', 'false', 'null', 'yes', 'no', 'on', 'off', '~', 'True', 'False', 'Null', 'TRUE', 'FALSE', 'NULL']);

/** A YAML value after its key or bullet, to the end of its line (a comment follows a space). */
function yamlValue(code: string, runs: RunList, start: number, lineEnd: number): void {
	let pos = skipSpaces(code, start, lineEnd);
	const line = code.slice(pos, lineEnd);
	const comment = line.startsWith('#') ? 0 : line.indexOf(' #');
	const valueEnd = comment === -1 ? lineEnd : pos + comment;
	const value = code.slice(pos, valueEnd).trimEnd();
	if (value) {
		const first = value[0];
		const scope = first === '"' || first === "'" ? 'string'
			: /^[-+]?(\.?\d[\d_.]*(e[-+]?\d+)?|0x[\da-f]+)$/i.test(value) ? 'number'
				: YAML_LITERALS.has(value) ? 'literal'
					: first === '&' || first === '*' || first === '!' ? 'type'
						: undefined;
		if (scope) runs.add(scope, pos, pos + value.length);
	}
	pos = valueEnd;
	if (pos < lineEnd) runs.add('comment', skipSpaces(code, pos, lineEnd), lineEnd);
}

/** Where the colon ending a line's key is (`key: value`, `"a key":`); -1 when the line has none. */
function yamlKeyColon(line: string): number {
	if (line === '' || line[0] === '#' || line[0] === ':') return -1;
	const quote = line[0] === '"' || line[0] === "'" ? line[0] : undefined;
	// A quoted key ends at its closing quote.
	const keyEnd = quote ? line.indexOf(quote, 1) + 1 : 0;
	if (quote && keyEnd === 0) return -1;
	let colon = line.indexOf(':', keyEnd);
	while (colon !== -1 && colon + 1 < line.length && line[colon + 1] !== ' ' && line[colon + 1] !== '\t') {
		colon = line.indexOf(':', colon + 1);
	}
	if (colon === -1) return -1;
	const between = line.slice(keyEnd, colon);
	// After a quoted key only spaces come before its colon; an unquoted key holds no comment (`a # b: c`).
	return (quote ? between.trim() === '' : !/\s#/.test(between)) ? colon : -1;
}

export function scanYaml(code: string, runs: RunList): void {
	let lineStart = 0;
	while (lineStart < code.length) {
		const newline = code.indexOf('\n', lineStart);
		const lineEnd = newline === -1 ? code.length : newline;
		let pos = lineStart;
		while (pos < lineEnd && (code[pos] === ' ' || code[pos] === '\t')) pos++;
		if (code[pos] === '#') {
			runs.add('comment', pos, lineEnd);
		} else if (pos === lineStart && (code.startsWith('---', pos) || code.startsWith('...', pos))) {
			runs.add('meta', pos, pos + 3);
		} else {
			while (code[pos] === '-' && (code[pos + 1] === ' ' || pos + 1 === lineEnd)) {
				runs.add('bullet', pos, pos + 1);
				pos = skipSpaces(code, pos + 1, lineEnd);
			}
			const colon = yamlKeyColon(code.slice(pos, lineEnd));
			if (colon !== -1) {
				runs.add('attr', pos, pos + code.slice(pos, pos + colon).trimEnd().length);
				pos += colon + 1;
			}
			yamlValue(code, runs, pos, lineEnd);
		}
		lineStart = lineEnd + 1;
	}
}
