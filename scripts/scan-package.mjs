// n8n's verification scan, run locally: the lint half of @n8n/scan-community-package
// (https://www.npmjs.com/package/@n8n/scan-community-package) on the source and on the packed
// tarball, exactly as n8n runs it (its own config, inline `eslint-disable` comments ignored).
// The provenance half needs a published version; RELEASING.md covers it.
//
// Builds dist/ first, because the tarball leg lints what `npm pack` would publish.
// `node scripts/scan-package.mjs --source <folder>` runs only the source leg on another folder
// (the tests use it to show that the check fails).
// Exits 1 on any error finding except the package.json metadata rules in ALLOWED_RULES, whose
// values only the maintainer can give (RELEASING.md).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { analyzePackage, SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';

/** The scanner's file patterns for the tarball leg (scanner.mjs, analyzePackageByName). */
const TARBALL_FILE_PATTERNS = ['**/*.js', 'package.json'];

/** package.json fields waiting for the maintainer's real values: `author.email`, `homepage`. */
const ALLOWED_RULES = new Set(['@n8n/community-nodes/valid-author', '@n8n/community-nodes/require-homepage']);

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Reads the scanner's stylish report into findings: file, line, severity, message, rule. */
function parseStylish(report) {
	const findings = [];
	let file;
	// eslint's stylish formatter colours its output only on a terminal; strip colours anyway.
	for (const line of report.replace(/\u001b\[[0-9;]*m/g, '').split('\n')) {
		const finding = /^\s+(\d+):(\d+)\s+(error|warning)\s+(.*?)\s{2,}(\S+)\s*$/.exec(line);
		if (finding) {
			const [, lineNo, column, severity, message, rule] = finding;
			findings.push({ file, line: Number(lineNo), column: Number(column), severity, message, rule });
		} else if (/^\S/.test(line) && !line.startsWith('✖')) {
			file = line.trim();
		}
	}
	return findings;
}

/** One leg of the scan: its findings, with allowed metadata findings marked. */
async function scan(label, dir, patterns) {
	const result = await analyzePackage(dir, patterns);
	if (result.passed) return { label, findings: [], failed: false };
	if (!result.details) throw new Error(`${label}: ${result.message}`);
	const findings = parseStylish(result.details).map((finding) => ({
		...finding,
		file: path.relative(dir, finding.file),
		allowed: finding.file.endsWith('package.json') && ALLOWED_RULES.has(finding.rule),
	}));
	const failed = findings.some((finding) => finding.severity === 'error' && !finding.allowed);
	if (findings.length === 0) throw new Error(`${label}: the scanner failed but its report could not be read:\n${result.details}`);
	return { label, findings, failed };
}

function packTarball(into) {
	execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
	const packed = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--pack-destination', into], { cwd: root }).toString(),
	);
	const packageDir = path.join(into, 'package');
	mkdirSync(packageDir);
	execFileSync('tar', ['-xzf', path.join(into, packed[0].filename), '-C', packageDir, '--strip-components=1']);
	return packageDir;
}

function report(legs) {
	for (const { label, findings, failed } of legs) {
		process.stdout.write(`n8n scanner, ${label}: ${failed ? 'FAILED' : 'passed'}\n`);
		for (const f of findings) {
			const mark = f.allowed ? 'allowed (RELEASING.md)' : f.severity;
			process.stdout.write(`  ${f.file}:${f.line}:${f.column}  ${mark}  ${f.rule}  ${f.message}\n`);
		}
	}
	if (legs.some((leg) => leg.failed)) process.exitCode = 1;
}

async function main() {
	const sourceOnly = process.argv[2] === '--source' ? process.argv[3] : undefined;
	if (sourceOnly !== undefined) {
		report([await scan('source', path.resolve(sourceOnly), SOURCE_FILE_PATTERNS)]);
		return;
	}
	const temp = mkdtempSync(path.join(os.tmpdir(), 'wechat-publish-scan-'));
	try {
		report([
			await scan('source', root, SOURCE_FILE_PATTERNS),
			await scan('tarball', packTarball(temp), TARBALL_FILE_PATTERNS),
		]);
	} finally {
		rmSync(temp, { recursive: true, force: true });
	}
}

await main();
