// Replaces tsc's output for nodes/wechat/vendor/*.ts (a bare re-export of an npm library) with a
// bundle of that library, so the published dist/ requires only n8n-workflow, node:crypto and
// relative paths, and package.json keeps no runtime dependencies. Bundles are minified (dist/ has a
// size budget; the libraries' licence comments stay) and lose their console calls (n8n's scanner
// bans console in every shipped .js; the libraries only log there).
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

const vendorDir = 'nodes/wechat/vendor';
/** MathJax's SVG maction wrapper (timers for hover tooltips) is replaced by a stub. */
const mathJaxStubs = {
	name: 'mathjax-stubs',
	setup(build) {
		build.onResolve({ filter: /^\.\/Wrappers\/maction\.js$/ }, (args) =>
			/mathjax-full[\\/]js[\\/]output[\\/]svg/.test(args.importer) ? { path: path.resolve('scripts/vendor-stubs/mathjax-maction.mjs') } : undefined,
		);
	},
};
for (const file of readdirSync(vendorDir).filter((name) => name.endsWith('.ts'))) {
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
		alias: { 'linkify-it': './scripts/vendor-stubs/linkify-it.mjs' },
		plugins: [mathJaxStubs],
		sourcemap: false,
		logLevel: 'warning',
	});
	// tsc's source map described the re-export, not the bundle that replaced it.
	rmSync(path.join('dist', vendorDir, file.replace(/\.ts$/, '.js.map')), { force: true });
}
