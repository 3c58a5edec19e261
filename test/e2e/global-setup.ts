import { ensurePackageBuilt } from '../helpers/packageBuild';
import { ensureN8nRuntime } from './harness/runtime';

/**
 * Runs once before the e2e test files, outside their timeouts: provisions the real n8n (minutes
 * on a bare machine, under a second when cached) and builds dist/ when it is missing or stale.
 * The runtime folder reaches the test files through the environment (RUNTIME_ENV).
 */
export default function globalSetup(): void {
	ensureN8nRuntime();
	ensurePackageBuilt();
}
