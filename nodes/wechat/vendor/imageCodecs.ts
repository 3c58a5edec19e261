// The one place the package imports image codecs: jpeg-js (JPEG), UPNG.js (PNG), omggif (GIF) and
// libwebp's decoder compiled to WebAssembly (@cwasm/webp), whose .wasm the bundle embeds as bytes.
// The build replaces this module's output with a bundle, so dist/ requires nothing n8n lacks.
export { decode as decodeJpeg, encode as encodeJpeg } from 'jpeg-js';
export { default as UPNG } from 'upng-js';
export { GifReader } from 'omggif';
export { default as webpDecoderWasm } from '@cwasm/webp/webp.wasm';
//! libwebp (the WebP decoder inside webp.wasm): Copyright (c) 2010, Google Inc. BSD-3-Clause, https://chromium.googlesource.com/webm/libwebp/+/HEAD/COPYING
