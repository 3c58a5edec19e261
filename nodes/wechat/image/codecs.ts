/**
 * Decoding the images people link (JPEG, PNG, GIF, WebP) to pixels, and encoding pixels as JPEG
 * or PNG. Pure: bytes in, bytes out; the codecs are bundled JavaScript and WebAssembly.
 */
import { decodeJpeg, encodeJpeg, GifReader, UPNG, webpDecoderWasm } from '../vendor/imageCodecs';
import { detectFormat, isWebp } from './formats';
import { type Raster } from './raster';

/**
 * The most pixels decoded (a 6000 x 5000 photo): 120 MB of RGBA. A larger image is refused before
 * its pixels are allocated, so a small file declaring a huge canvas cannot exhaust memory.
 */
export const MAX_PIXELS = 30_000_000;

export type SourceFormat = 'JPEG' | 'PNG' | 'GIF' | 'WebP';

export interface Decoded {
	format: SourceFormat;
	raster: Raster;
	/** Frames in the file: more than 1 for an animated GIF, whose first frame `raster` is. */
	frames: number;
}

/** Why some bytes could not be decoded. */
export class UndecodableImage extends Error {}

function checkPixels(width: number, height: number): void {
	if (!(width > 0 && height > 0)) throw new UndecodableImage('its header gives no size');
	if (width * height > MAX_PIXELS) {
		throw new UndecodableImage(`it is ${width} x ${height} pixels, more than the ${MAX_PIXELS / 1_000_000} million converted`);
	}
}

/** Width and height from a WebP's header: VP8 (lossy), VP8L (lossless) or VP8X (extended). */
function webpSize(data: Uint8Array): { width: number; height: number } {
	const chunk = Buffer.from(data.subarray(12, 16)).toString('latin1');
	if (chunk === 'VP8X' && data.length >= 30) {
		return { width: 1 + (data[24] | (data[25] << 8) | (data[26] << 16)), height: 1 + (data[27] | (data[28] << 8) | (data[29] << 16)) };
	}
	if (chunk === 'VP8L' && data.length >= 25) {
		const bits = data[21] | (data[22] << 8) | (data[23] << 16) | (data[24] << 24);
		return { width: 1 + (bits & 0x3fff), height: 1 + ((bits >>> 14) & 0x3fff) };
	}
	if (chunk === 'VP8 ' && data.length >= 30) {
		return { width: (data[26] | (data[27] << 8)) & 0x3fff, height: (data[28] | (data[29] << 8)) & 0x3fff };
	}
	throw new UndecodableImage('its WebP header is not one libwebp knows');
}

interface WebpExports {
	memory: { buffer: ArrayBuffer };
	malloc(size: number): number;
	free(pointer: number): void;
	WebPDecodeRGBA(input: number, size: number, width: number, height: number): number;
}

let webpDecoder: Promise<WebpExports> | undefined;

/** libwebp asks for no system call when it decodes; one would mean a bug, so each one throws. */
function noSystemCall(): never {
	throw new Error('the WebP decoder made a system call');
}

async function decodeWebp(data: Uint8Array): Promise<Raster> {
	const { width, height } = webpSize(data);
	checkPixels(width, height);
	webpDecoder ??= WebAssembly.instantiate(webpDecoderWasm, {
		wasi_snapshot_preview1: { fd_close: noSystemCall, fd_seek: noSystemCall, fd_write: noSystemCall },
	}).then(({ instance }) => instance.exports as unknown as WebpExports);
	const wasm = await webpDecoder;
	const input = wasm.malloc(data.length);
	const size = wasm.malloc(8);
	try {
		new Uint8Array(wasm.memory.buffer, input, data.length).set(data);
		const output = wasm.WebPDecodeRGBA(input, data.length, size, size + 4);
		if (output === 0) throw new UndecodableImage('libwebp could not decode it (an animated or damaged WebP)');
		const [decodedWidth, decodedHeight] = new Uint32Array(wasm.memory.buffer, size, 2);
		const pixels = new Uint8Array(wasm.memory.buffer, output, decodedWidth * decodedHeight * 4).slice();
		wasm.free(output);
		return { width: decodedWidth, height: decodedHeight, data: pixels };
	} finally {
		wasm.free(input);
		wasm.free(size);
	}
}

function decodePng(data: Uint8Array): Raster {
	const view = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
	if (data.length < 24) throw new UndecodableImage('it is cut short');
	const width = view.readUInt32BE(16);
	const height = view.readUInt32BE(20);
	checkPixels(width, height);
	const png = UPNG.decode(data.slice().buffer);
	const [first] = UPNG.toRGBA8(png);
	return { width: png.width, height: png.height, data: new Uint8Array(first) };
}

function decodeGif(data: Uint8Array): { raster: Raster; frames: number } {
	const reader = new GifReader(data);
	checkPixels(reader.width, reader.height);
	const pixels = new Uint8Array(reader.width * reader.height * 4);
	reader.decodeAndBlitFrameRGBA(0, pixels);
	return { raster: { width: reader.width, height: reader.height, data: pixels }, frames: reader.numFrames() };
}

/** Whether the bytes are in a format decodeImage reads (SVG, BMP, AVIF and the like are not). */
export function canDecode(data: Uint8Array): boolean {
	const format = detectFormat(data);
	return isWebp(data) || format === 'jpeg' || format === 'png' || format === 'gif';
}

async function decodeAny(data: Uint8Array): Promise<Decoded> {
	const format = detectFormat(data);
	if (isWebp(data)) return { format: 'WebP', raster: await decodeWebp(data), frames: 1 };
	if (format === 'png') return { format: 'PNG', raster: decodePng(data), frames: 1 };
	if (format === 'gif') return { format: 'GIF', ...decodeGif(data) };
	if (format === 'jpeg') {
		const jpeg = decodeJpeg(data, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_PIXELS / 1_000_000, maxMemoryUsageInMB: 512 });
		return { format: 'JPEG', raster: { width: jpeg.width, height: jpeg.height, data: jpeg.data }, frames: 1 };
	}
	throw new UndecodableImage('it is in a format that cannot be converted');
}

/** The image's pixels (the first frame of an animation), or UndecodableImage saying why not. */
export async function decodeImage(data: Uint8Array): Promise<Decoded> {
	return await decodeAny(data).catch((error: Error) => {
		throw error instanceof UndecodableImage ? error : new UndecodableImage(`it could not be decoded (${error.message})`);
	});
}

export function encodeJpegImage(raster: Raster, quality: number): Buffer {
	return Buffer.from(encodeJpeg({ width: raster.width, height: raster.height, data: raster.data }, quality).data);
}

export function encodePngImage(raster: Raster): Buffer {
	const pixels = raster.data.byteOffset === 0 && raster.data.byteLength === raster.data.buffer.byteLength ? raster.data : raster.data.slice();
	return Buffer.from(UPNG.encode([pixels.buffer as ArrayBuffer], raster.width, raster.height, 0));
}
