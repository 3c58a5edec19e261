// Jest runs CommonJS; the few bundled libraries published only as ES modules are turned into
// CommonJS for the tests with esbuild, as scripts/bundle-vendor.mjs bundles them for dist/.
const { transformSync } = require('esbuild');

module.exports = {
	process(source, filename) {
		return { code: transformSync(source, { format: 'cjs', target: 'node20', sourcefile: filename, loader: 'js' }).code };
	},
};
