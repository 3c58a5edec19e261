import { ensureN8nRuntime } from '../e2e/harness/runtime';

/**
 * Before the engine tests: they run on the Node.js of the provisioned n8n (n8n-core 2.41.1 is
 * what n8n 2.41.1 runs, and n8n 2.41.1 runs only on Node 24), started by scripts/test-engine.sh.
 */
export default function globalSetup(): void {
	const runtime = ensureN8nRuntime(2);
	const expected = process.env.WECHAT_ENGINE_NODE;
	if (!expected || process.execPath !== expected) {
		throw new Error(
			`the engine tests run on the provisioned n8n's Node.js (${runtime.nodeBinDir}/node), this is ${process.execPath} ${process.version}: run them with \`npm run test:engine\``,
		);
	}
}
