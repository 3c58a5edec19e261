/**
 * Code a highlighter that looks ahead without moving on reads in quadratic time (or, nesting, runs
 * out of stack), each made at a given size in characters, with the language it is highlighted as:
 * the unit tests' hostile code and the bench's section 9.
 */
export const HOSTILE_CODE: Array<[string, string, (size: number) => string]> = [
	['slashes where a regex could start', 'ts', (size) => '(/'.repeat(size / 2)],
	['template substitutions opened inside each other', 'ts', (size) => '`${'.repeat(size / 3)],
	['unclosed block comments', 'ts', (size) => '/*'.repeat(size / 2)],
	['unclosed variables in double quotes', 'bash', (size) => '"${'.repeat(size / 3)],
	['dollar signs in double quotes', 'bash', (size) => '"$'.repeat(size / 2)],
	['tags with unclosed quotes', 'html', (size) => '<a "'.repeat(size / 4)],
	['scripts that never close', 'html', (size) => '<script>'.repeat(size / 8)],
	['rules that never close', 'css', (size) => '{;'.repeat(size / 2)],
	['a YAML key that never comes', 'yaml', (size) => `a${' '.repeat(size)}`],
	['colons without spaces', 'yaml', (size) => 'a:b:'.repeat(size / 4)],
	['triple quotes', 'python', (size) => '"""'.repeat(size / 3)],
	['JSON keys', 'json', (size) => '"a":'.repeat(size / 4)],
];
