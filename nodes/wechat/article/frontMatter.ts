// Front matter: the metadata block Hugo, Hexo, Jekyll and Obsidian put at the very top of a
// Markdown file (YAML between `---` lines, TOML between `+++` lines). It is read as data by a small
// parser of our own (scalars, quoted strings, lists, one level of nesting) that never evaluates
// anything, and it is never rendered.

export type FrontMatterValue = string | number | boolean | null | FrontMatterValue[] | { [key: string]: FrontMatterValue };
export type FrontMatter = Record<string, FrontMatterValue>;

export interface SplitFrontMatter {
	/** The parsed block; empty when the content has none. */
	data: FrontMatter;
	/** The content after the block. */
	body: string;
}

const FENCES: Array<{ open: RegExp; close: RegExp; parse: (lines: string[]) => FrontMatter }> = [
	{ open: /^---[ \t]*\r?\n/, close: /^(?:---|\.\.\.)[ \t]*$/, parse: parseYaml },
	{ open: /^\+\+\+[ \t]*\r?\n/, close: /^\+\+\+[ \t]*$/, parse: parseToml },
];

function record(): FrontMatter {
	return Object.create(null) as FrontMatter;
}

/** Splits a leading front matter block off `content`; content without one comes back unchanged. */
export function splitFrontMatter(content: string): SplitFrontMatter {
	const source = content.replace(/^\uFEFF/, '');
	for (const fence of FENCES) {
		const opening = fence.open.exec(source);
		if (!opening) continue;
		const lines = source.slice(opening[0].length).split('\n');
		const end = lines.findIndex((line) => fence.close.test(line.replace(/\r$/, '')));
		if (end === -1) continue;
		const block = lines.slice(0, end).map((line) => line.replace(/\r$/, ''));
		return { data: fence.parse(block), body: lines.slice(end + 1).join('\n') };
	}
	return { data: record(), body: content };
}

/** A comment starts at a `#` that follows whitespace, outside quotes. */
function withoutComment(value: string): string {
	let quote = '';
	for (let index = 0; index < value.length; index++) {
		const char = value[index];
		if (quote) {
			if (char === '\\' && quote === '"') index++;
			else if (char === quote) quote = '';
		} else if (char === '"' || char === "'") {
			quote = char;
		} else if (char === '#' && (index === 0 || /\s/.test(value[index - 1]))) {
			return value.slice(0, index).trimEnd();
		}
	}
	return value.trimEnd();
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', '/': '/', '0': '\0' };

function unquote(value: string): string | undefined {
	if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) return value.slice(1, -1).replace(/''/g, "'");
	if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
		return value
			.slice(1, -1)
			.replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
			.replace(/\\(.)/g, (match, char: string) => ESCAPES[char] ?? match);
	}
	return undefined;
}

/** Splits a flow list's inside at commas outside quotes and brackets. */
function splitList(inside: string): string[] {
	const parts: string[] = [];
	let quote = '';
	let depth = 0;
	let start = 0;
	for (let index = 0; index < inside.length; index++) {
		const char = inside[index];
		if (quote) {
			if (char === '\\' && quote === '"') index++;
			else if (char === quote) quote = '';
		} else if (char === '"' || char === "'") quote = char;
		else if (char === '[' || char === '{') depth++;
		else if (char === ']' || char === '}') depth--;
		else if (char === ',' && depth === 0) {
			parts.push(inside.slice(start, index));
			start = index + 1;
		}
	}
	parts.push(inside.slice(start));
	return parts.map((part) => part.trim()).filter((part) => part !== '');
}

function scalar(raw: string, toml: boolean): FrontMatterValue {
	const value = raw.trim();
	const quoted = unquote(value);
	if (quoted !== undefined) return quoted;
	if (value.startsWith('[') && value.endsWith(']')) return splitList(value.slice(1, -1)).map((part) => scalar(part, toml));
	if (/^(?:true|false)$/.test(value) || (!toml && /^(?:True|False|TRUE|FALSE)$/.test(value))) return value.toLowerCase() === 'true';
	if (!toml && (value === '' || value === '~' || /^null$/i.test(value))) return null;
	if (/^[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$/.test(value) && Number.isFinite(Number(value))) return Number(value);
	return value;
}

function indentOf(line: string): number {
	return /^[ \t]*/.exec(line)![0].length;
}

const YAML_KEY = /^([^\s#'"[\]{}:,-][^:]*?|"[^"]*"|'[^']*')[ \t]*:(?:[ \t]+(.*))?$/;

/** Reads `key: value` pairs at one indentation, with block lists, block scalars and nested maps. */
function yamlMap(lines: string[], start: number, indent: number): [FrontMatter, number] {
	const data = record();
	let index = start;
	while (index < lines.length) {
		const line = lines[index];
		if (line.trim() === '' || line.trim().startsWith('#')) {
			index++;
			continue;
		}
		const lineIndent = indentOf(line);
		if (lineIndent < indent) break;
		const match = YAML_KEY.exec(line.trim());
		index++;
		if (lineIndent > indent || !match) continue; // not something this subset reads: skipped
		const key = unquote(match[1]) ?? match[1].trim();
		const rest = withoutComment(match[2] ?? '');
		if (/^[|>][-+]?$/.test(rest)) {
			const block: string[] = [];
			while (index < lines.length && (lines[index].trim() === '' || indentOf(lines[index]) > lineIndent)) block.push(lines[index++]);
			const cut = Math.min(...block.filter((entry) => entry.trim() !== '').map(indentOf));
			const text = block.map((entry) => entry.slice(Number.isFinite(cut) ? cut : 0));
			data[key] = (rest.startsWith('|') ? text.join('\n') : text.join(' ').replace(/\s+/g, ' ')).trim();
		} else if (rest !== '') {
			data[key] = scalar(rest, false);
		} else {
			const next = lines.slice(index).find((entry) => entry.trim() !== '' && !entry.trim().startsWith('#'));
			if (next !== undefined && /^-(?:\s|$)/.test(next.trim()) && indentOf(next) >= lineIndent) {
				const items: FrontMatterValue[] = [];
				const itemIndent = indentOf(next);
				while (index < lines.length) {
					const entry = lines[index];
					if (entry.trim() === '' || entry.trim().startsWith('#')) index++;
					else if (indentOf(entry) === itemIndent && /^-(?:\s|$)/.test(entry.trim())) {
						items.push(scalar(withoutComment(entry.trim().slice(1)), false));
						index++;
					} else if (indentOf(entry) > itemIndent) index++;
					else break;
				}
				data[key] = items;
			} else if (next !== undefined && indentOf(next) > lineIndent) {
				const [nested, end] = yamlMap(lines, index, indentOf(next));
				data[key] = nested;
				index = end;
			} else {
				data[key] = null;
			}
		}
	}
	return [data, index];
}

function parseYaml(lines: string[]): FrontMatter {
	return yamlMap(lines, 0, 0)[0];
}

const TOML_PAIR = /^("[^"]*"|'[^']*'|[A-Za-z0-9_.-]+)\s*=\s*(.*)$/;

function parseToml(lines: string[]): FrontMatter {
	const data = record();
	let table = data;
	for (const raw of lines) {
		const line = withoutComment(raw).trim();
		const header = /^\[([A-Za-z0-9_.-]+)\]$/.exec(line);
		if (header) {
			table = record();
			data[header[1]] = table;
			continue;
		}
		const pair = TOML_PAIR.exec(line);
		if (pair) table[unquote(pair[1]) ?? pair[1]] = scalar(pair[2], true);
	}
	return data;
}

/** The article fields front matter can fill, with the keys that fill each, first found wins. */
const FIELD_KEYS: Record<string, string[]> = {
	title: ['title'],
	author: ['author', 'authors'],
	digest: ['digest', 'summary', 'description'],
	coverImage: ['cover', 'image'],
	content_source_url: ['source', 'canonical', 'canonical_url', 'canonicalURL', 'url'],
};

export type ContentField = 'title' | 'author' | 'digest' | 'coverImage' | 'content_source_url';

function asText(value: FrontMatterValue | undefined): string {
	if (typeof value === 'string') return value.trim();
	if (typeof value === 'number') return String(value);
	if (Array.isArray(value)) return value.map((entry) => asText(entry)).filter(Boolean).join(', ');
	if (value && typeof value === 'object') return asText(value.name ?? value.url ?? value.src);
	return '';
}

/** The article fields `data` gives a value for (by their node names). */
export function frontMatterFields(data: FrontMatter): Partial<Record<ContentField, string>> {
	const fields: Partial<Record<ContentField, string>> = {};
	for (const [field, keys] of Object.entries(FIELD_KEYS) as Array<[ContentField, string[]]>) {
		for (const key of keys) {
			const value = asText(Object.prototype.hasOwnProperty.call(data, key) ? data[key] : undefined);
			if (value) {
				fields[field] = value;
				break;
			}
		}
	}
	return fields;
}
