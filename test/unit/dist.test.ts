import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { ensurePackageBuilt } from '../helpers/packageBuild';

// What n8n lets a verified community node load and use, checked on the built dist/ that is
// published, the bundled fast-xml-parser included. n8n's rules:
// https://docs.n8n.io/integrations/creating-nodes/build/reference/verification-guidelines/
const ROOT = path.resolve(__dirname, '../..');
const DIST = path.join(ROOT, 'dist');
const ALLOWED_MODULES = new Set(['n8n-workflow', 'crypto', 'node:crypto']);

interface FileReport {
	file: string;
	modules: string[];
	problems: string[];
}

function lint(folder: string): FileReport[] {
	const output = execFileSync(process.execPath, [path.join(__dirname, '../helpers/lintDist.mjs'), folder], {
		cwd: ROOT,
		encoding: 'utf8',
	});
	return JSON.parse(output) as FileReport[];
}

function isAllowed(module: string): boolean {
	return ALLOWED_MODULES.has(module) || module.startsWith('./') || module.startsWith('../');
}

/** Lints one file holding `lines` in a folder of its own. */
function lintPlanted(lines: string[]): FileReport {
	const folder = mkdtempSync(path.join(tmpdir(), 'dist-check-'));
	try {
		writeFileSync(path.join(folder, 'planted.js'), lines.join('\n'));
		return lint(folder)[0];
	} finally {
		rmSync(folder, { recursive: true, force: true });
	}
}

describe('the checker', () => {
	it('catches banned globals and modules planted in a file, eslint-disable comments or not', () => {
		const report = lintPlanted([
			"const fs = require('fs');",
			"const { XMLParser } = require('fast-xml-parser');",
			'const load = require; load("zlib");',
			'process.env.X; setTimeout(() => {}, 1); setInterval(() => {}, 1); setImmediate(() => {});',
			'global.a = 1; globalThis.b = 2; console.log(__dirname, __filename);',
			'const options = { process: 1, setTimeout: 2 }; options.process; options.setTimeout;',
			'function shadowed(process) { return process; }',
			'// eslint-disable-next-line',
			'process.exit(1);',
		]);
		expect(report.modules).toEqual(['fs', 'fast-xml-parser', '<indirect require>']);
		const banned = report.problems.map((problem) => /restricted global '(\w+)'/.exec(problem)?.[1]);
		expect(banned.sort()).toEqual(
			['__dirname', '__filename', 'global', 'globalThis', 'process', 'process', 'setImmediate', 'setInterval', 'setTimeout'].sort(),
		);
	});

	it('reports a file it cannot parse', () => {
		expect(lintPlanted(['const broken = ;']).problems).toEqual([expect.stringMatching(/parse/)]);
	});
});

describe('dist/', () => {
	let reports: FileReport[];

	beforeAll(() => {
		ensurePackageBuilt();
		reports = lint(DIST);
	}, 180_000);

	it('holds the bundled fast-xml-parser among its files', () => {
		const files = reports.map((report) => path.relative(DIST, report.file));
		expect(files).toContain(path.join('nodes', 'wechat', 'vendor', 'fast-xml-parser.js'));
		expect(files).toContain(path.join('nodes', 'wechat', 'events.js'));
		expect(files.length).toBeGreaterThan(5);
	});

	it('loads only n8n-workflow, node:crypto and its own files', () => {
		const foreign = reports.flatMap((report) =>
			report.modules.filter((module) => !isAllowed(module)).map((module) => `${path.relative(DIST, report.file)}: ${module}`),
		);
		expect(foreign).toEqual([]);
	});

	it("uses none of n8n's banned globals, in any file, the vendored parser included", () => {
		const problems = reports.flatMap((report) =>
			report.problems.map((problem) => `${path.relative(DIST, report.file)} ${problem}`),
		);
		expect(problems).toEqual([]);
	});
});
