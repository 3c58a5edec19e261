/**
 * `npm run bench`: every measurement of BENCHMARKS.md in one run, printed as one table with the
 * machine it ran on, what could not be measured, and notes. `-- --only 1,3` runs some of them;
 * `-- --write` also records the output in BENCHMARKS.md (between its bench markers).
 */
import './wasmHook';

import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import path from 'node:path';

import { benchArticleRender } from './articleRender';
import { benchForgedFlood } from './forgedFlood';
import { benchHostileHtml } from './hostileHtml';
import { benchHotPath } from './hotPath';
import { benchImageConvert } from './imageConvert';
import { benchImageRehost } from './imageRehost';
import { benchMemory } from './memory';
import { benchN8nWebhook, type N8nVersions } from './n8nWebhook';
import { renderTable, type SectionResult } from './report';
import { benchSubmitWait } from './submitWait';
import { benchTokenEconomy } from './tokenEconomy';

const BUDGET_MS = 15 * 60 * 1000;
const RESULTS_START = '<!-- bench:results -->';
const RESULTS_END = '<!-- /bench:results -->';

interface Section {
	id: string;
	title: string;
	run: (versions: N8nVersions) => Promise<SectionResult>;
}

const SECTIONS: Section[] = [
	{ id: '1', title: 'trigger hot path in process', run: benchHotPath },
	{ id: '2', title: 'through the real n8n', run: benchN8nWebhook },
	{ id: '3', title: 'token economy', run: benchTokenEconomy },
	{ id: '4', title: 'memory', run: benchMemory },
	{ id: '5', title: 'submit and wait', run: benchSubmitWait },
	{ id: '6', title: 'article rendering', run: benchArticleRender },
	{ id: '7', title: 'image re-hosting and conversion', run: async () => mergeResults([await benchImageRehost(), await benchImageConvert()]) },
	{ id: '8', title: 'forged 1 MiB pushes', run: benchForgedFlood },
	{ id: '9', title: 'hostile HTML and code', run: benchHostileHtml },
];

function mergeResults(results: SectionResult[]): SectionResult {
	return { rows: results.flatMap((result) => result.rows), notMeasured: results.flatMap((result) => result.notMeasured), notes: results.flatMap((result) => result.notes) };
}

function machine(versions: N8nVersions, loadAtStart: number[]): string {
	const memoryGb = (totalmem() / 1024 ** 3).toFixed(1);
	const load = (values: number[]) => values.map((value) => value.toFixed(1)).join(' / ');
	return [
		`- CPU: ${cpus()[0]?.model ?? 'unknown'}, ${availableParallelism()} logical cores (nproc)`,
		`- load average (1 / 5 / 15 min) at start ${load(loadAtStart)}, at the end ${load(loadavg())}: other processes' load is noise the A/B alternation does not remove`,
		`- memory: ${memoryGb} GB`,
		`- Node.js (bench process): ${process.version}`,
		`- n8n: ${versions.n8n ?? 'not run'}${versions.node ? ` on Node.js ${versions.node}` : ''}${versions.database ? `, ${versions.database}` : ''}`,
	].join('\n');
}

function selectedSections(args: string[]): Section[] {
	const only = args.indexOf('--only');
	if (only === -1) return SECTIONS;
	const ids = new Set((args[only + 1] ?? '').split(','));
	return SECTIONS.filter((section) => ids.has(section.id));
}

function writeBenchmarksMd(output: string): void {
	const file = path.join(__dirname, '..', 'BENCHMARKS.md');
	const text = readFileSync(file, 'utf8');
	const start = text.indexOf(RESULTS_START);
	const end = text.indexOf(RESULTS_END);
	if (start === -1 || end < start) throw new Error(`BENCHMARKS.md has no ${RESULTS_START} … ${RESULTS_END} section`);
	writeFileSync(file, `${text.slice(0, start + RESULTS_START.length)}\n${output}\n${text.slice(end)}`);
}

async function main(): Promise<void> {
	const args = process.argv.slice(2);
	const started = performance.now();
	const loadAtStart = loadavg();
	const versions: N8nVersions = {};
	const results: SectionResult = { rows: [], notMeasured: [], notes: [] };
	for (const section of selectedSections(args)) {
		const sectionStart = performance.now();
		process.stderr.write(`bench ${section.id}: ${section.title} ...\n`);
		try {
			const result = await section.run(versions);
			results.rows.push(...result.rows);
			results.notMeasured.push(...result.notMeasured);
			results.notes.push(...result.notes);
		} catch (error) {
			results.notMeasured.push(`${section.id}. ${section.title}: failed: ${(error as Error).message.split('\n')[0]}`);
		}
		process.stderr.write(`bench ${section.id}: ${((performance.now() - sectionStart) / 1000).toFixed(1)} s\n`);
	}
	const elapsedS = (performance.now() - started) / 1000;
	const output = [
		`Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${elapsedS.toFixed(0)} s in all (budget ${BUDGET_MS / 60000} min).`,
		'',
		machine(versions, loadAtStart),
		'',
		renderTable(results.rows),
		'',
		'Not measured:',
		...(results.notMeasured.length ? results.notMeasured.map((line) => `- ${line}`) : ['- nothing']),
		'',
		'Notes:',
		...results.notes.map((line) => `- ${line}`),
	].join('\n');
	process.stdout.write(`${output}\n`);
	if (elapsedS * 1000 > BUDGET_MS) process.stdout.write(`The bench took longer than its budget of ${BUDGET_MS / 60000} minutes.\n`);
	if (args.includes('--write')) writeBenchmarksMd(output);
}

main().then(
	() => process.exit(0),
	(error: Error) => {
		process.stderr.write(`${error.stack ?? error.message}\n`);
		process.exit(1);
	},
);
