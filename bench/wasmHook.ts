/**
 * The bench runs the TypeScript sources through ts-node, whose require cannot load the WebP
 * decoder's .wasm: this gives it the bytes, as the build's bundler embeds them in dist/
 * (scripts/bundle-vendor.mjs). Imported first by bench/index.ts.
 */
import { readFileSync } from 'node:fs';

require.extensions['.wasm'] = (module, filename) => {
	module.exports = { __esModule: true, default: new Uint8Array(readFileSync(filename)) };
};
