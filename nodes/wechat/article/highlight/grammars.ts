// The word lists and rules of each language the scanner reads. Which words are keywords, types and
// built-ins follows each language's reference (and highlight.js's grammars, for the same colours).
import type { Grammar } from './scanner';

const words = (list: string): ReadonlySet<string> => new Set(list.split(' '));

const JS_KEYWORDS =
	'as async await break case catch class const continue debugger default delete do else export extends finally for from ' +
	'function get if import in instanceof let new of return set static super switch this throw try typeof var void while with yield';

const javascript: Grammar = {
	keywords: words(JS_KEYWORDS),
	literals: words('true false null undefined NaN Infinity'),
	builtIns: words(
		'Array Boolean Date Error JSON Map Math Number Object Promise Proxy Reflect RegExp Set String Symbol WeakMap ' +
			'console document globalThis module process require window',
	),
	functionWords: words('function'),
	classWords: words('class extends new'),
	lineComments: ['//'],
	blockComment: ['/*', '*/'],
	quotes: '"\'',
	multilineQuotes: '`',
	templates: true,
	regexes: true,
	annotations: true,
	calls: true,
};

const typescript: Grammar = {
	...javascript,
	keywords: words(`${JS_KEYWORDS} abstract declare enum implements interface keyof namespace private protected public readonly satisfies type`),
	types: words('any bigint boolean never number object string symbol unknown void'),
	classWords: words('class extends implements interface new type enum'),
};

const python: Grammar = {
	keywords: words(
		'and as assert async await break class continue def del elif else except finally for from global if import in is ' +
			'lambda match case nonlocal not or pass raise return try while with yield',
	),
	literals: words('True False None'),
	builtIns: words(
		'abs all any bool dict enumerate filter float format getattr hasattr int isinstance len list map max min open print ' +
			'range repr reversed round set sorted str sum super tuple type zip self',
	),
	functionWords: words('def'),
	classWords: words('class'),
	lineComments: ['#'],
	quotes: '"\'',
	tripleQuotes: true,
	stringPrefixes: 'rRbBfFuU',
	annotations: true,
};

const bash: Grammar = {
	keywords: words('if then else elif fi for while until do done case esac in function return select time local export declare readonly'),
	builtIns: words('alias cd echo eval exec exit printf pwd read set shift source test trap type unset'),
	functionWords: words('function'),
	lineComments: ['#'],
	commentAfterSpace: true,
	quotes: '"\'',
	rawQuotes: "'",
	dollarVariables: true,
};

const go: Grammar = {
	keywords: words(
		'break case chan const continue default defer else fallthrough for func go goto if import interface map package range ' +
			'return select struct switch type var',
	),
	literals: words('true false nil iota'),
	types: words(
		'bool byte complex64 complex128 error float32 float64 int int8 int16 int32 int64 rune string uint uint8 uint16 uint32 uint64 uintptr any',
	),
	builtIns: words('append cap clear close copy delete len make max min new panic print println recover'),
	functionWords: words('func'),
	classWords: words('type'),
	lineComments: ['//'],
	blockComment: ['/*', '*/'],
	quotes: '"\'',
	multilineQuotes: '`',
	rawQuotes: '`',
};

const java: Grammar = {
	keywords: words(
		'abstract assert break case catch class continue default do else enum extends final finally for if implements import ' +
			'instanceof interface native new package private protected public record return static strictfp super switch ' +
			'synchronized this throw throws transient try var volatile while yield',
	),
	literals: words('true false null'),
	types: words('boolean byte char double float int long short void String Object Integer Long Double Boolean List Map'),
	classWords: words('class interface enum record extends implements new'),
	lineComments: ['//'],
	blockComment: ['/*', '*/'],
	quotes: '"\'',
	annotations: true,
};

const sql: Grammar = {
	keywords: words(
		'add all alter and as asc begin between by case check column commit constraint create cross database default delete ' +
			'desc distinct drop else end exists foreign from full group having if in index inner insert interval into is join ' +
			'key left like limit not offset on or order outer primary references returning right rollback select set table ' +
			'then to transaction truncate union unique update using values view when where with',
	),
	literals: words('null true false'),
	types: words('bigint bit blob boolean char date datetime decimal double float int integer json numeric real serial smallint text time timestamp varchar'),
	builtIns: words('avg cast coalesce count current_date current_timestamp lower max min now nullif round substring sum upper'),
	lineComments: ['--'],
	blockComment: ['/*', '*/'],
	quotes: '\'"`',
	caseInsensitive: true,
};

const json: Grammar = {
	keywords: new Set(),
	literals: words('true false null'),
	lineComments: ['//'],
	blockComment: ['/*', '*/'],
	quotes: '"',
	keys: true,
};

export const GRAMMARS = { bash, go, java, javascript, json, python, sql, typescript };
