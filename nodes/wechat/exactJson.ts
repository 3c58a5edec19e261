/**
 * JSON with exact big IDs: WeChat's publish_id and msg_data_id exceed 2^53, which JSON.parse
 * would round. Integers that large are read as strings, and every ID field comes back a string.
 */

export type JsonObject = { [key: string]: unknown };

/** Keys whose values are IDs: always strings, never numbers. */
const ID_KEYS = new Set(['publish_id', 'msg_id', 'msg_data_id', 'media_id', 'article_id', 'thumb_media_id']);

/**
 * Puts every integer literal beyond 2^53 in quotes, so JSON.parse keeps its digits exact.
 * Walks the text token by token: digits inside strings are left alone.
 */
function quoteUnsafeIntegers(text: string): string {
	let result = '';
	let copiedUpTo = 0;
	let index = 0;
	while (index < text.length) {
		const char = text[index];
		if (char === '"') {
			index++;
			while (index < text.length && text[index] !== '"') index += text[index] === '\\' ? 2 : 1;
			index++;
		} else if (char === '-' || (char >= '0' && char <= '9')) {
			const start = index;
			index++;
			while (index < text.length && /[0-9.eE+-]/.test(text[index])) index++;
			const literal = text.slice(start, index);
			if (/^-?\d{16,}$/.test(literal) && !Number.isSafeInteger(Number(literal))) {
				result += `${text.slice(copiedUpTo, start)}"${literal}"`;
				copiedUpTo = index;
			}
		} else {
			index++;
		}
	}
	return copiedUpTo === 0 ? text : result + text.slice(copiedUpTo);
}

function stringifyIds(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(stringifyIds);
	if (typeof value !== 'object' || value === null) return value;
	const object = value as JsonObject;
	for (const [key, child] of Object.entries(object)) {
		object[key] = ID_KEYS.has(key) && typeof child === 'number' ? String(child) : stringifyIds(child);
	}
	return object;
}

/** JSON.parse that keeps integers beyond 2^53 exact (as strings) and returns every ID as a string. */
export function parseJsonExact(text: string): unknown {
	return stringifyIds(JSON.parse(quoteUnsafeIntegers(text)));
}
