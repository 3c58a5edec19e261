// Replaces tsc's output for nodes/wechat/vendor/*.ts (a bare re-export of an npm library) with a
// bundle of that library, so the published dist/ requires only n8n-workflow, node:crypto and
// relative paths, and package.json keeps no runtime dependencies. Bundles are minified (dist/ has a
// size budget; the libraries' licence comments stay) and lose their console calls (n8n's scanner
// bans console in every shipped .js; the libraries only log there). WebAssembly a library needs is
// embedded in its bundle as bytes (base64), never read from disk at run time.
import { build } from 'esbuild';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

const vendorDir = 'nodes/wechat/vendor';

/**
 * Where a library picks its module system at run time (browser global or CommonJS), its CommonJS
 * branch is kept: n8n's scanner bans `process` and any require that is not a plain call, which
 * these lines hold. Each line must match exactly, so a new library version is looked at again.
 */
const ENVIRONMENT_PATCHES = [
	{
		file: /upng-js[\\/]UPNG\.js$/,
		lines: [
			['if (typeof module == "object") {module.exports = UPNG;}  else {window.UPNG = UPNG;}', 'module.exports = UPNG;'],
			['if (typeof require == "function") {pako = require("pako");}  else {pako = window.pako;}', 'pako = require("pako");'],
			// Never called (only in comments): the one reader of `process`.
			['function log() { if (typeof process=="undefined" || process.env.NODE_ENV=="development") console.log.apply(console, arguments);  }', ''],
		],
	},
];

const environmentPatches = {
	name: 'environment-patches',
	setup(build) {
		for (const patch of ENVIRONMENT_PATCHES) {
			build.onLoad({ filter: patch.file }, ({ path: file }) => {
				let contents = readFileSync(file, 'utf8');
				for (const [line, replacement] of patch.lines) {
					if (!contents.includes(line)) throw new Error(`${file} no longer holds the line patched for n8n's scanner: ${line}`);
					contents = contents.replace(line, replacement);
				}
				return { contents, loader: 'js' };
			});
		}
	},
};
/** MathJax's SVG maction wrapper (timers for hover tooltips) is replaced by a stub. */
const mathJaxStubs = {
	name: 'mathjax-stubs',
	setup(build) {
		build.onResolve({ filter: /^\.\/Wrappers\/maction\.js$/ }, (args) =>
			/mathjax-full[\\/]js[\\/]output[\\/]svg/.test(args.importer) ? { path: path.resolve('scripts/vendor-stubs/mathjax-maction.mjs') } : undefined,
		);
	},
};
for (const file of readdirSync(vendorDir).filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'))) {
	await build({
		entryPoints: [path.join(vendorDir, file)],
		outfile: path.join('dist', vendorDir, file.replace(/\.ts$/, '.js')),
		bundle: true,
		platform: 'node',
		format: 'cjs',
		target: 'node20',
		legalComments: 'inline',
		minify: true,
		drop: ['console'],
		loader: { '.wasm': 'binary' },
		alias: { 'linkify-it': './scripts/vendor-stubs/linkify-it.mjs' },
		plugins: [environmentPatches, mathJaxStubs],
		sourcemap: false,
		logLevel: 'warning',
	});
	// tsc's source map described the re-export, not the bundle that replaced it.
	rmSync(path.join('dist', vendorDir, file.replace(/\.ts$/, '.js.map')), { force: true });
}
