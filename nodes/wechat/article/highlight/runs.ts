// What highlighting gives: the code cut into runs, each plain or coloured by a scope. The scopes are
// highlight.js's names (https://highlightjs.readthedocs.io/en/latest/css-classes-reference.html), so
// code highlighted elsewhere (HTML input with hljs classes) takes the same theme colours.

export type Scope =
	| 'keyword' | 'built_in' | 'type' | 'literal' | 'number' | 'string' | 'regexp' | 'comment' | 'meta'
	| 'title.function' | 'title.class' | 'attr' | 'attribute' | 'variable' | 'subst' | 'tag' | 'name'
	| 'selector-tag' | 'selector-class' | 'selector-id' | 'bullet' | 'addition' | 'deletion' | 'section';

/** A stretch of code: its scope ('' for plain text) and its characters. */
export type Run = [scope: Scope | '', text: string];

function onlySpaces(code: string, start: number, end: number): boolean {
	for (let index = start; index < end; index++) {
		const char = code.charCodeAt(index);
		if (char !== 32 && char !== 9) return false;
	}
	return true;
}

/**
 * Collects runs in order. What lies between two coloured stretches is plain, except spaces between
 * two of the same scope, which join them: fewer elements, the same look.
 */
export class RunList {
	readonly runs: Run[] = [];
	private plainFrom = 0;

	constructor(private readonly code: string) {}

	add(scope: Scope, start: number, end: number): void {
		if (end <= start) return;
		const last = this.runs[this.runs.length - 1];
		if (last !== undefined && last[0] === scope && onlySpaces(this.code, this.plainFrom, start)) {
			last[1] += this.code.slice(this.plainFrom, end);
		} else {
			if (start > this.plainFrom) this.runs.push(['', this.code.slice(this.plainFrom, start)]);
			this.runs.push([scope, this.code.slice(start, end)]);
		}
		this.plainFrom = end;
	}

	finish(): Run[] {
		if (this.code.length > this.plainFrom) this.runs.push(['', this.code.slice(this.plainFrom)]);
		this.plainFrom = this.code.length;
		return this.runs;
	}
}
