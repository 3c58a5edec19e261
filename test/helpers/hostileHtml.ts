/**
 * HTML a backtracking parser reads in quadratic time (`</a` + 100,000 letters once took 4.5 s), each
 * made at a given size in characters: the unit tests' hostile corpus and the bench's section 9.
 */
export const HOSTILE_HTML: Array<[string, (size: number) => string]> = [
	['an end tag name that never ends', (size) => `</a${'b'.repeat(size)}`],
	['an end tag name, then spaces, that never ends', (size) => `</a${'b'.repeat(size / 2)}${' '.repeat(size / 2)}`],
	['start tags that never end', (size) => '<a'.repeat(size / 2)],
	['a start tag name that never ends', (size) => `<a${'b'.repeat(size)}`],
	['attributes with unclosed quotes', (size) => `<p ${`a='`.repeat(size / 6)}${'b="'.repeat(size / 6)}`],
	['attributes without values', (size) => `<p ${'a '.repeat(size / 2)}>x</p>`],
	['unclosed comments', (size) => '<!--'.repeat(size / 4)],
	['bogus comments', (size) => '<!'.repeat(size / 2)],
	['stray less-than signs', (size) => '<'.repeat(size)],
	['stray end-tag openers', (size) => '</'.repeat(size / 2)],
	['end tags with nothing open', (size) => `<b>${'</i>'.repeat(size / 4)}`],
	['raw-text elements that never close', (size) => '<script></scrip'.repeat(size / 15)],
	['titles that close in another case', (size) => '<title>t</TITLE>'.repeat(size / 16)],
	['entities without semicolons', (size) => '&amp&#1&#x'.repeat(size / 10)],
];
