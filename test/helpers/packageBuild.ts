import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '../..');


/** What `npm run build` reads: a change to any of these makes dist/ stale. */
const BUILD_INPUTS = [
	'nodes',
	'credentials',
	'package.json',
	'tsconfig.json',
	'gulpfile.js',
	'scripts/bundle-vendor.mjs',
	'scripts/vendor-stubs',
];

function filesUnder(entry: string): string[] {
	if (!existsSync(entry)) return [];
	if (!statSync(entry).isDirectory()) return [entry];
	return readdirSync(entry, { recursive: true, encoding: 'utf8' })
		.map((name) => path.join(entry, name))
		.filter((file) => statSync(file).isFile());
}

function mtimes(files: string[]): number[] {
	return files.map((file) => statSync(file).mtimeMs);
}

/**
 * Makes sure dist/ holds a build of the current sources, running `npm run build` when dist/ is
 * missing or older than a source. Only the emitted .js files date the build: gulp keeps the
 * icons' source mtimes when it copies them.
 */
export function ensurePackageBuilt(): void {
	const distJs = filesUnder(path.join(repoRoot, 'dist')).filter((file) => file.endsWith('.js'));
	const sources = BUILD_INPUTS.flatMap((entry) => filesUnder(path.join(repoRoot, entry)));
	const builtAt = distJs.length > 0 ? Math.min(...mtimes(distJs)) : 0;
	if (builtAt > Math.max(...mtimes(sources))) return;
	process.stderr.write(`dist/ is ${builtAt ? 'older than the sources' : 'missing'}; running npm run build\n`);
	execFileSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: ['ignore', 2, 2] });
}
