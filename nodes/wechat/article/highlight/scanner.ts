// One pass over code of the C, script and SQL families: comments, strings, numbers and words, each
// found by looking at one character at a time and never going back, so highlighting costs about
// what reading the code costs. What a language adds is data (grammars.ts), not code.
import { RunList, type Scope } from './runs';

export interface Grammar {
	keywords: ReadonlySet<string>;
	literals?: ReadonlySet<string>;
	builtIns?: ReadonlySet<string>;
	types?: ReadonlySet<string>;
	/** Words after which the next word is a function's name (def, func, function). */
	functionWords?: ReadonlySet<string>;
	/** Words after which the next word is a type's name (class, interface, struct's type). */
	classWords?: ReadonlySet<string>;
	lineComments: readonly string[];
	blockComment?: readonly [string, string];
	/** Quote characters. A string ends at its quote, or at the end of its line unless multiline. */
	quotes: string;
	multilineQuotes?: string;
	/** Quotes inside which a backslash is only a character (the shell's ', Go's `). */
	rawQuotes?: string;
	/** Python's """ and '''. */
	tripleQuotes?: boolean;
	/** Letters that may prefix a string (Python's r, b, f). */
	stringPrefixes?: string;
	/** `${…}` in a backtick string is code (JavaScript's templates). */
	templates?: boolean;
	/** A `/…/` where a value is expected is a regular expression (JavaScript). */
	regexes?: boolean;
	/** `@name` is an annotation or a decorator. */
	annotations?: boolean;
	/** `$name`, `${…}` and `$1` are variables, also inside double quotes (shells). */
	dollarVariables?: boolean;
	/** A word followed by `(` is a function's name. */
	calls?: boolean;
	/** Words match in any letter case (SQL). */
	caseInsensitive?: boolean;
	/** A line comment starts only at a line's start or after whitespace (in a shell, a#b is a word). */
	commentAfterSpace?: boolean;
	/** A string followed by `:` is a key (JSON). */
	keys?: boolean;
}

const EMPTY: ReadonlySet<string> = new Set();
const MAX_NESTING = 16;

function isWordChar(char: number, dollarIsWord: boolean): boolean {
	return (
		(char >= 97 && char <= 122) || (char >= 65 && char <= 90) || (char >= 48 && char <= 57) || char === 95 ||
		(char === 36 && dollarIsWord) || char >= 128
	);
}

function isDigit(char: number): boolean {
	return char >= 48 && char <= 57;
}

export function isSpace(char: number): boolean {
	return char === 32 || char === 9 || char === 10 || char === 13;
}

/** Where the next character other than a space or tab is, on the same line. */
function nextOnLine(code: string, pos: number, end: number): number {
	while (pos < end && (code.charCodeAt(pos) === 32 || code.charCodeAt(pos) === 9)) pos++;
	return pos;
}

/** Where `close` (searched for from `from`) ends, or `end` when it does not before then. */
export function through(code: string, close: string, from: number, end: number): number {
	const found = code.indexOf(close, from);
	return found === -1 || found + close.length > end ? end : found + close.length;
}

function startsLineComment(code: string, start: number, grammar: Grammar): boolean {
	if (grammar.commentAfterSpace && start > 0 && !isSpace(code.charCodeAt(start - 1))) return false;
	for (const marker of grammar.lineComments) if (code.startsWith(marker, start)) return true;
	return false;
}

class CodeScanner {
	private pos: number;
	/** Whether the last token was a value, after which `/` divides rather than starts a regex. */
	private afterValue = false;
	private afterDot = false;
	/** The scope the next word gets (a name being defined), if the next token is a word. */
	private pending: Scope | undefined;
	/** Before here no regex can close (a search failed): trying again at every `/` of a long line would be quadratic. */
	private noRegexBefore = 0;
	private readonly dollarIsWord: boolean;

	constructor(
		private readonly code: string,
		private readonly grammar: Grammar,
		private readonly runs: RunList,
		start: number,
		private readonly end: number,
		/** How many `${` this scan is inside: deeper ones stay string text, so no input can exhaust the stack. */
		private readonly nesting = 0,
	) {
		this.pos = start;
		this.dollarIsWord = !grammar.dollarVariables;
	}

	/** Scans to the end, or (inside `${`) to the unmatched `}`, and returns where it stopped. */
	scan(stopAtBrace: boolean): number {
		const { code, end, grammar } = this;
		let depth = 0;
		while (this.pos < end) {
			const start = this.pos;
			const char = code.charCodeAt(start);
			if (isSpace(char)) {
				this.pos++;
			} else if (isWordChar(char, this.dollarIsWord) && !isDigit(char)) {
				this.word();
			} else if (isDigit(char) || (char === 46 && isDigit(code.charCodeAt(start + 1)))) {
				this.number();
			} else if (this.comment()) {
				this.afterValue = false;
			} else if (this.isQuote(code[start])) {
				this.string(start, start);
			} else if (char === 64 && grammar.annotations && isWordChar(code.charCodeAt(start + 1), true)) {
				this.annotation();
			} else if (char === 36 && grammar.dollarVariables && this.variable()) {
				this.afterValue = true;
			} else if (char === 47 && grammar.regexes && !this.afterValue && start >= this.noRegexBefore && this.regex()) {
				this.afterValue = true;
			} else {
				if (char === 123) depth++;
				if (char === 125 && depth-- === 0 && stopAtBrace) return start;
				this.afterValue = char === 41 || char === 93 || char === 125;
				this.afterDot = char === 46;
				this.pending = undefined;
				this.pos++;
			}
		}
		return this.pos;
	}

	private isQuote(char: string | undefined): boolean {
		return char !== undefined && (this.grammar.quotes.includes(char) || this.grammar.multilineQuotes?.includes(char) === true);
	}

	private word(): void {
		const { code, end, grammar } = this;
		const start = this.pos;
		let pos = start + 1;
		while (pos < end && isWordChar(code.charCodeAt(pos), this.dollarIsWord)) pos++;
		const next = code[pos];
		if (grammar.stringPrefixes && pos - start <= 2 && this.isQuote(next)) {
			let prefix = true;
			for (let index = start; index < pos; index++) prefix &&= grammar.stringPrefixes.includes(code[index]);
			if (prefix) return this.string(start, pos);
		}
		this.pos = pos;
		const scope = this.wordScope(code.slice(start, pos), pos);
		if (scope) this.runs.add(scope, start, pos);
	}

	private wordScope(word: string, end: number): Scope | undefined {
		const grammar = this.grammar;
		const pending = this.pending;
		const afterDot = this.afterDot;
		this.pending = undefined;
		this.afterDot = false;
		this.afterValue = true;
		if (pending) return pending;
		const key = grammar.caseInsensitive ? word.toLowerCase() : word;
		const call = grammar.calls && this.code.charCodeAt(nextOnLine(this.code, end, this.end)) === 40;
		// A property (after a dot) is never a keyword: x.default, item.new.
		if (afterDot) return call ? 'title.function' : undefined;
		if (grammar.keywords.has(key)) {
			if (grammar.functionWords?.has(key)) this.pending = 'title.function';
			else if (grammar.classWords?.has(key)) this.pending = 'title.class';
			this.afterValue = false;
			return 'keyword';
		}
		if ((grammar.literals ?? EMPTY).has(key)) return 'literal';
		if ((grammar.types ?? EMPTY).has(key)) return 'type';
		if ((grammar.builtIns ?? EMPTY).has(key)) return 'built_in';
		return call ? 'title.function' : undefined;
	}

	private number(): void {
		const { code, end } = this;
		const start = this.pos;
		let pos = start + 1;
		while (pos < end) {
			const char = code.charCodeAt(pos);
			const exponentSign = (char === 43 || char === 45) && (code[pos - 1] === 'e' || code[pos - 1] === 'E') && code[start + 1] !== 'x';
			if (!isWordChar(char, false) && char !== 46 && !exponentSign) break;
			// 1..10 is a range: the number ends before it.
			if (char === 46 && code.charCodeAt(pos + 1) === 46) break;
			pos++;
		}
		this.runs.add('number', start, pos);
		this.pos = pos;
		this.afterValue = true;
	}

	private comment(): boolean {
		const { code, end, grammar } = this;
		const start = this.pos;
		const block = grammar.blockComment;
		if (block && code.startsWith(block[0], start)) {
			this.pos = through(code, block[1], start + block[0].length, end);
		} else if (startsLineComment(code, start, grammar)) {
			const close = code.indexOf('\n', start);
			this.pos = close === -1 || close > end ? end : close;
		} else {
			return false;
		}
		this.runs.add('comment', start, this.pos);
		return true;
	}

	/** A string from `from` (a prefix, or its quote at `quoteAt`): variables and `${…}` in it are code. */
	private string(from: number, quoteAt: number): void {
		const { code, end, grammar } = this;
		const quote = code[quoteAt];
		const triple = grammar.tripleQuotes && code.startsWith(quote + quote + quote, quoteAt);
		const multiline = triple || grammar.multilineQuotes?.includes(quote);
		const escapes = !grammar.rawQuotes?.includes(quote);
		let pieceStart = from;
		let pos = quoteAt + (triple ? 3 : 1);
		while (pos < end) {
			const char = code.charCodeAt(pos);
			if (char === 92 && escapes) {
				pos += 2;
			} else if (triple ? code.startsWith(quote + quote + quote, pos) : code[pos] === quote) {
				pos += triple ? 3 : 1;
				break;
			} else if (char === 10 && !multiline) {
				break;
			} else if (char === 36 && quote === '`' && grammar.templates && code.charCodeAt(pos + 1) === 123 && this.nesting < MAX_NESTING) {
				this.runs.add('string', pieceStart, pos);
				this.runs.add('subst', pos, pos + 2);
				const close = new CodeScanner(code, grammar, this.runs, pos + 2, end, this.nesting + 1).scan(true);
				this.runs.add('subst', close, Math.min(close + 1, end));
				pos = pieceStart = close + 1;
			} else if (char === 36 && quote === '"' && grammar.dollarVariables && this.variableEnd(pos) > pos) {
				const variableEnd = this.variableEnd(pos);
				this.runs.add('string', pieceStart, pos);
				this.runs.add('variable', pos, variableEnd);
				pos = pieceStart = variableEnd;
			} else {
				pos++;
			}
		}
		pos = Math.min(pos, end);
		const isKey = grammar.keys && code.charCodeAt(nextOnLine(code, pos, end)) === 58;
		this.runs.add(isKey ? 'attr' : 'string', pieceStart, pos);
		this.pos = pos;
		this.afterValue = true;
		this.pending = undefined;
	}

	/** `@Override`, `@app.route`: the name with its dots. */
	private annotation(): void {
		const { code, end } = this;
		const start = this.pos;
		let pos = start + 1;
		while (pos < end && (isWordChar(code.charCodeAt(pos), true) || code.charCodeAt(pos) === 46)) pos++;
		this.runs.add('meta', start, pos);
		this.pos = pos;
	}

	/** Where a variable starting at `start` ($name, ${name}, $1, $?) ends; `start` when none does. */
	private variableEnd(start: number): number {
		const { code, end } = this;
		const next = code.charCodeAt(start + 1);
		if (next === 123) return through(code, '}', start + 2, end);
		let pos = start + 1;
		if (isWordChar(next, false)) while (pos < end && isWordChar(code.charCodeAt(pos), false)) pos++;
		else if (pos < end && '?#@*!$-'.includes(code[pos])) pos++;
		return pos === start + 1 ? start : pos;
	}

	private variable(): boolean {
		const start = this.pos;
		const end = this.variableEnd(start);
		if (end === start) return false;
		this.runs.add('variable', start, end);
		this.pos = end;
		return true;
	}

	/** `/…/flags` on one line, `/` inside [ ] included; false when the line ends first. */
	private regex(): boolean {
		const { code, end } = this;
		const start = this.pos;
		let inClass = false;
		for (let pos = start + 1; pos < end; pos++) {
			const char = code.charCodeAt(pos);
			if (char === 10) {
				this.noRegexBefore = pos;
				return false;
			}
			if (char === 92) pos++;
			else if (char === 91) inClass = true;
			else if (char === 93) inClass = false;
			else if (char === 47 && !inClass) {
				pos++;
				while (pos < end && isWordChar(code.charCodeAt(pos), false)) pos++;
				this.runs.add('regexp', start, pos);
				this.pos = pos;
				return true;
			}
		}
		this.noRegexBefore = end;
		return false;
	}
}

/** Highlights code[start, end) with `grammar` into `runs`. */
export function scanCode(code: string, grammar: Grammar, runs: RunList, start = 0, end = code.length): void {
	new CodeScanner(code, grammar, runs, start, end).scan(false);
}
