// Code highlighting for fenced code blocks: the languages articles use most, each read in one pass
// (bench row 6: highlighting costs about what reading the code costs). Unknown languages stay plain.
import { escapeText } from '../entities';
import { GRAMMARS } from './grammars';
import { scanCss, scanMarkup, scanYaml } from './markup';
import { RunList, type Run, type Scope } from './runs';
import { scanCode } from './scanner';

export type { Run, Scope };

type Scan = (code: string, runs: RunList) => void;

const SCANNERS = new Map<string, Scan>([
	...Object.entries(GRAMMARS).map(([name, grammar]): [string, Scan] => [name, (code, runs) => scanCode(code, grammar, runs)]),
	['css', (code, runs) => scanCss(code, runs)],
	['xml', (code, runs) => scanMarkup(code, runs, GRAMMARS.javascript)],
	['yaml', scanYaml],
]);

const ALIASES = new Map(Object.entries({
	js: 'javascript', jsx: 'javascript', mjs: 'javascript', cjs: 'javascript', node: 'javascript',
	ts: 'typescript', tsx: 'typescript', mts: 'typescript',
	py: 'python', python3: 'python', gyp: 'python',
	sh: 'bash', shell: 'bash', zsh: 'bash', console: 'bash', shellsession: 'bash',
	golang: 'go', jsonc: 'json', json5: 'json',
	html: 'xml', xhtml: 'xml', svg: 'xml', rss: 'xml', atom: 'xml', plist: 'xml', vue: 'xml',
	yml: 'yaml', mysql: 'sql', postgresql: 'sql', postgres: 'sql', sqlite: 'sql',
}));

/** The languages highlighted (under these names and their usual aliases: js, ts, py, sh, html, yml …). */
export const HIGHLIGHTED_LANGUAGES = [...SCANNERS.keys()].sort();

function scannerFor(language: string): Scan | undefined {
	const name = language.toLowerCase();
	return SCANNERS.get(ALIASES.get(name) ?? name);
}

/** `code` as runs of its language's scopes; undefined for a language not highlighted. */
export function highlightRuns(code: string, language: string): Run[] | undefined {
	const scan = scannerFor(language);
	if (!scan) return undefined;
	const runs = new RunList(code);
	scan(code, runs);
	return runs.finish();
}

/** The class highlight.js gives a scope (title.function → "hljs-title function_"), which the theme colours. */
export function scopeClass(scope: Scope): string {
	const [name, sub] = scope.split('.');
	return sub ? `hljs-${name} ${sub}_` : `hljs-${name}`;
}

/** Highlighted code as HTML (escaped text, spans with scope classes); '' for a language not highlighted. */
export function highlightHtml(code: string, language: string): string {
	const runs = highlightRuns(code, language);
	if (!runs) return '';
	let html = '';
	for (const [scope, text] of runs) html += scope ? `<span class="${scopeClass(scope)}">${escapeText(text)}</span>` : escapeText(text);
	return html;
}
