import { HIGHLIGHTED_LANGUAGES, highlightHtml, highlightRuns, type Run } from '../../nodes/wechat/article/highlight';
import { HOSTILE_CODE } from '../helpers/hostileCode';

/** The coloured runs of `code` as [scope, text] pairs (plain text left out). */
function colored(code: string, language: string): Run[] {
	const runs = highlightRuns(code, language);
	if (!runs) throw new Error(`${language} is not highlighted`);
	expect(runs.map(([, text]) => text).join('')).toBe(code);
	return runs.filter(([scope]) => scope !== '');
}

const scopeOf = (runs: Run[], text: string) => runs.find(([, value]) => value === text)?.[0];

describe('code highlighting', () => {
	it('highlights the languages articles use most, under their usual names', () => {
		expect(HIGHLIGHTED_LANGUAGES).toEqual(['bash', 'css', 'go', 'java', 'javascript', 'json', 'python', 'sql', 'typescript', 'xml', 'yaml']);
		for (const alias of ['js', 'JSX', 'ts', 'tsx', 'py', 'sh', 'shell', 'zsh', 'golang', 'html', 'svg', 'yml', 'postgresql']) {
			expect(highlightRuns('x', alias)).toBeDefined();
		}
		expect(highlightRuns('x', 'brainfuck')).toBeUndefined();
		expect(highlightRuns('x', '')).toBeUndefined();
		expect(highlightRuns('x', 'constructor')).toBeUndefined();
	});

	it('reads TypeScript: keywords, types, names being defined, calls, regexes, templates, decorators', () => {
		const runs = colored(
			'interface Article {\n  title: string; // the title\n}\n@Component()\nclass A extends B {}\nconst ok = a.title.length <= 32 && /^x\\/y$/i.test(`x ${n + 1} z`) ? x.default : 2 / 3;',
			'ts',
		);
		expect(scopeOf(runs, 'interface')).toBe('keyword');
		expect(scopeOf(runs, 'Article')).toBe('title.class');
		expect(scopeOf(runs, 'string')).toBe('type');
		expect(scopeOf(runs, '// the title')).toBe('comment');
		expect(scopeOf(runs, '@Component')).toBe('meta');
		expect(scopeOf(runs, 'A')).toBe('title.class');
		expect(scopeOf(runs, 'B')).toBe('title.class');
		expect(scopeOf(runs, '/^x\\/y$/i')).toBe('regexp');
		expect(scopeOf(runs, 'test')).toBe('title.function');
		expect(scopeOf(runs, '`x ')).toBe('string');
		expect(scopeOf(runs, '${')).toBe('subst');
		expect(scopeOf(runs, '32')).toBe('number');
		// A property is never a keyword, and a division is no regex.
		expect(scopeOf(runs, 'default')).toBeUndefined();
		expect(runs.filter(([scope]) => scope === 'regexp')).toHaveLength(1);
	});

	it('joins neighbouring tokens of one scope across spaces, never across a line break', () => {
		expect(colored('public static void main', 'java').slice(0, 1)).toEqual([['keyword', 'public static']]);
		expect(colored('return await x', 'js')[0]).toEqual(['keyword', 'return await']);
		expect(colored('if\nthen', 'bash')).toEqual([['keyword', 'if'], ['keyword', 'then']]);
	});

	it('reads Python: decorators, definitions, prefixed and triple-quoted strings, comments', () => {
		const runs = colored('@app.route("/")\ndef render(path):\n    """Doc\n    more"""\n    return f"{path}" + r\'\\d\'  # to HTML\n', 'python');
		expect(scopeOf(runs, '@app.route')).toBe('meta');
		expect(scopeOf(runs, 'render')).toBe('title.function');
		expect(scopeOf(runs, '"""Doc\n    more"""')).toBe('string');
		expect(scopeOf(runs, 'f"{path}"')).toBe('string');
		expect(scopeOf(runs, "r'\\d'")).toBe('string');
		expect(scopeOf(runs, '# to HTML')).toBe('comment');
	});

	it('reads shell: variables inside double quotes, not in single quotes; # starts a comment only after a space', () => {
		const runs = colored('curl -s "$N8N/hook ${ID}" \'$not\' a#b # note', 'bash');
		expect(runs).toEqual([
			['string', '"'], ['variable', '$N8N'], ['string', '/hook '], ['variable', '${ID}'], ['string', `" '$not'`], ['comment', '# note'],
		]);
	});

	it('reads JSON keys apart from values', () => {
		const runs = colored('{ "title": "Spring", "count": 1.5e3, "open": true, "none": null }', 'json');
		expect(runs.map(([scope]) => scope)).toEqual(['attr', 'string', 'attr', 'number', 'attr', 'literal', 'attr', 'literal']);
	});

	it('reads Go, Java and SQL (SQL in any letter case)', () => {
		expect(colored('func main() { s := `raw\\` }', 'go')).toEqual([['keyword', 'func'], ['title.function', 'main'], ['string', '`raw\\`']]);
		expect(scopeOf(colored('@Override public String toString() { return "x"; }', 'java'), '@Override')).toBe('meta');
		const sql = colored("select COUNT(*) from t where d > now() - interval '7 days'; -- recent", 'sql');
		expect(sql.map(([scope]) => scope)).toEqual(['keyword', 'built_in', 'keyword', 'keyword', 'built_in', 'keyword', 'string', 'comment']);
	});

	it('reads HTML: tags, attributes, values, comments, and the JavaScript and CSS inside', () => {
		const runs = colored('<!DOCTYPE html>\n<a href="x" hidden>t</a><!-- c --><script>let a = 1;</script><style>p { color: #fff }</style>', 'html');
		expect(runs.slice(0, 6)).toEqual([['meta', '<!DOCTYPE html>'], ['tag', '<'], ['name', 'a'], ['attr', 'href'], ['string', '"x"'], ['attr', 'hidden']]);
		expect(scopeOf(runs, '<!-- c -->')).toBe('comment');
		expect(scopeOf(runs, 'let')).toBe('keyword');
		expect(scopeOf(runs, 'color')).toBe('attribute');
		expect(scopeOf(runs, '#fff')).toBe('number');
	});

	it('reads CSS: selectors, at-rules, properties, numbers with units, functions', () => {
		const runs = colored('@media (max-width: 600px) {\n  .card > h1:hover, #main { margin: 0 auto; background: url("a.png") }\n}', 'css');
		expect(scopeOf(runs, '@media')).toBe('keyword');
		expect(scopeOf(runs, '.card')).toBe('selector-class');
		expect(scopeOf(runs, 'h1')).toBe('selector-tag');
		expect(scopeOf(runs, '#main')).toBe('selector-id');
		expect(scopeOf(runs, 'margin')).toBe('attribute');
		expect(scopeOf(runs, 'url')).toBe('built_in');
		expect(scopeOf(runs, '"a.png"')).toBe('string');
	});

	it('reads YAML: keys (also quoted), bullets, scalars, comments', () => {
		const runs = colored('---\nname: publish # the name\n"a key": 3\nlist:\n  - on\n  - "x: y"\nurl: http://e.example\n', 'yaml');
		expect(runs).toEqual([
			['meta', '---'], ['attr', 'name'], ['comment', '# the name'], ['attr', '"a key"'], ['number', '3'], ['attr', 'list'],
			['bullet', '-'], ['literal', 'on'], ['bullet', '-'], ['string', '"x: y"'], ['attr', 'url'],
		]);
	});

	it('writes HTML for markdown-it with every character escaped', () => {
		expect(highlightHtml('a < b && "c" // <x>', 'js')).toBe(
			'a &lt; b &amp;&amp; <span class="hljs-string">"c"</span> <span class="hljs-comment">// &lt;x&gt;</span>',
		);
		expect(highlightHtml('x', 'brainfuck')).toBe('');
	});

	it.each(HOSTILE_CODE)('keeps every character of hostile code (%s, %s) and never runs out of stack', (_name, language, make) => {
		colored(make(300_000), language);
	});
});
