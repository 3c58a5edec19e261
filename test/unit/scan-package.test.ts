/**
 * scripts/scan-package.mjs, the check `npm run lint` runs with n8n's scanner: it fails on what the
 * scanner rejects, an `eslint-disable` comment hides nothing, and only the two package.json
 * metadata rules named in RELEASING.md are allowed.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const SCRIPT = path.resolve(__dirname, '../../scripts/scan-package.mjs');

const PACKAGE_JSON = {
	name: 'n8n-nodes-scan-fixture',
	version: '0.0.1',
	description: 'A fixture for the scanner check',
	keywords: ['n8n-community-node-package'],
	license: 'MIT',
	author: { name: 'Someone' },
	n8n: { n8nNodesApiVersion: 1, strict: true, nodes: ['dist/nodes/Fixture/helper.js'] },
	peerDependencies: { 'n8n-workflow': '*' },
};

/** Scans a folder holding the package.json above and `files`; exit code and report. */
function scanFixture(files: Record<string, string>): { status: number | null; output: string } {
	const folder = mkdtempSync(path.join(tmpdir(), 'scan-fixture-'));
	try {
		writeFileSync(path.join(folder, 'package.json'), JSON.stringify(PACKAGE_JSON, null, 2));
		for (const [file, text] of Object.entries(files)) {
			mkdirSync(path.dirname(path.join(folder, file)), { recursive: true });
			writeFileSync(path.join(folder, file), text);
		}
		const run = spawnSync(process.execPath, [SCRIPT, '--source', folder], { encoding: 'utf8' });
		return { status: run.status, output: `${run.stdout}${run.stderr}` };
	} finally {
		rmSync(folder, { recursive: true, force: true });
	}
}

const CLEAN_HELPER = "export function double(value: number): number {\n\treturn value * 2;\n}\n";

it('passes a package whose only findings are the allowed metadata rules, and lists them', () => {
	const { status, output } = scanFixture({ 'nodes/Fixture/helper.ts': CLEAN_HELPER });
	expect(output).toContain('n8n scanner, source: passed');
	expect(output).toMatch(/package\.json:\d+:\d+ {2}allowed \(RELEASING\.md\) {2}@n8n\/community-nodes\/valid-author/);
	expect(status).toBe(0);
});

it('fails on a rule the scanner enforces, eslint-disable comment or not, naming file and rule', () => {
	const { status, output } = scanFixture({
		'nodes/Fixture/helper.ts': `${CLEAN_HELPER}// eslint-disable-next-line\nexport const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));\n`,
	});
	expect(output).toContain('n8n scanner, source: FAILED');
	expect(output).toMatch(/nodes\/Fixture\/helper\.ts:5:\d+ {2}error {2}@n8n\/community-nodes\/no-restricted-globals/);
	expect(status).toBe(1);
});

it('does not allow the metadata rules outside package.json, nor other package.json rules', () => {
	const { status, output } = scanFixture({
		'nodes/Fixture/helper.ts': CLEAN_HELPER,
		'package.json': JSON.stringify({ ...PACKAGE_JSON, license: 'GPL-3.0', dependencies: { lodash: '*' } }),
	});
	expect(output).toMatch(/package\.json:\d+:\d+ {2}error {2}\S+/);
	expect(status).toBe(1);
});
