/**
 * Decoding the images people link (JPEG, PNG, GIF, WebP) to pixels, and encoding pixels as JPEG
 * or PNG. Pure: bytes in, bytes out; the codecs are bundled JavaScript and WebAssembly.
 */
import { decodeJpeg, encodeJpeg, GifReader, UPNG } from '../vendor/imageCodecs';
import { detectFormat, isWebp } from './formats';
import { checkPixels, MAX_PIXELS, UndecodableImage } from './decodeLimits';
import { type Raster } from './raster';
import { decodeWebp } from './webp';

export { MAX_PIXELS, UndecodableImage } from './decodeLimits';

export type SourceFormat = 'JPEG' | 'PNG' | 'GIF' | 'WebP';

export interface Decoded {
	format: SourceFormat;
	raster: Raster;
	/** Frames in the file: more than 1 for an animated GIF, whose first frame `raster` is. */
	frames: number;
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
	if (isWebp(data)) return { format: 'WebP', ...(await decodeWebp(data)) };
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
