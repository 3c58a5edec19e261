// The WebP decoder's WebAssembly for tests that run the TypeScript source: its bytes, as the
// build's bundler embeds them in dist/ (scripts/bundle-vendor.mjs). Jest would load a .wasm
// import as an ES module, which the CommonJS source cannot use.
const { readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

// Through package.json: jest maps the .wasm path itself to this file.
const folder = dirname(require.resolve('@cwasm/webp/package.json'));
module.exports = { __esModule: true, default: new Uint8Array(readFileSync(join(folder, 'webp.wasm'))) };
