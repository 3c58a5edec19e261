/**
 * WebP to pixels with libwebp's simple decoder (WebAssembly). An animation is reduced to its first
 * frame, rebuilt as a still WebP, since the simple decoder reads no animation. The container:
 * https://developers.google.com/speed/webp/docs/riff_container
 */
import { webpDecoderWasm } from '../vendor/imageCodecs';
import { checkPixels, UndecodableImage } from './decodeLimits';
import { type Raster } from './raster';

interface Chunk {
	fourcc: string;
	/** The whole chunk: header, payload and padding. */
	start: number;
	end: number;
	/** Where its payload starts. */
	payload: number;
	size: number;
}

function uint24(data: Uint8Array, at: number): number {
	return data[at] | (data[at + 1] << 8) | (data[at + 2] << 16);
}

/** The chunks between `from` and `to`; a chunk running past `to` ends the list. */
function chunksOf(data: Uint8Array, from: number, to: number): Chunk[] {
	const chunks: Chunk[] = [];
	let at = from;
	while (at + 8 <= to) {
		const size = (data[at + 4] | (data[at + 5] << 8) | (data[at + 6] << 16) | (data[at + 7] << 24)) >>> 0;
		const end = at + 8 + size + (size & 1);
		if (at + 8 + size > to) break;
		chunks.push({ fourcc: Buffer.from(data.subarray(at, at + 4)).toString('latin1'), start: at, end: Math.min(end, to), payload: at + 8, size });
		at = end;
	}
	return chunks;
}

/** Width and height from a WebP's header: VP8 (lossy), VP8L (lossless) or VP8X (extended: the canvas). */
function webpSize(data: Uint8Array): { width: number; height: number } {
	const chunk = Buffer.from(data.subarray(12, 16)).toString('latin1');
	if (chunk === 'VP8X' && data.length >= 30) return { width: 1 + uint24(data, 24), height: 1 + uint24(data, 27) };
	if (chunk === 'VP8L' && data.length >= 25) {
		const bits = data[21] | (data[22] << 8) | (data[23] << 16) | (data[24] << 24);
		return { width: 1 + (bits & 0x3fff), height: 1 + ((bits >>> 14) & 0x3fff) };
	}
	if (chunk === 'VP8 ' && data.length >= 30) {
		return { width: (data[26] | (data[27] << 8)) & 0x3fff, height: (data[28] | (data[29] << 8)) & 0x3fff };
	}
	throw new UndecodableImage('its WebP header is not one libwebp knows');
}

function riff(chunks: Uint8Array[]): Uint8Array {
	const body = Buffer.concat([Buffer.from('WEBP', 'latin1'), ...chunks]);
	const header = Buffer.alloc(8);
	header.write('RIFF', 0, 'latin1');
	header.writeUInt32LE(body.length, 4);
	return Buffer.concat([header, body]);
}

interface FirstFrame {
	still: Uint8Array;
	x: number;
	y: number;
	frames: number;
}

/** An animation's first frame as a still WebP, where it sits on the canvas, and the frame count. */
function firstFrame(data: Uint8Array): FirstFrame | undefined {
	const riffEnd = Math.min(data.length, 8 + ((data[4] | (data[5] << 8) | (data[6] << 16) | (data[7] << 24)) >>> 0));
	const frames = chunksOf(data, 12, riffEnd).filter((chunk) => chunk.fourcc === 'ANMF');
	const [frame] = frames;
	if (frame === undefined || frame.size < 16) return undefined;
	const width = 1 + uint24(data, frame.payload + 6);
	const height = 1 + uint24(data, frame.payload + 9);
	const parts = chunksOf(data, frame.payload + 16, frame.payload + frame.size).filter((chunk) => ['ALPH', 'VP8 ', 'VP8L'].includes(chunk.fourcc));
	const bytes = parts.map((chunk) => data.subarray(chunk.start, chunk.end));
	if (parts.some((chunk) => chunk.fourcc === 'ALPH')) {
		// A lossy frame with an alpha chunk needs the extended header that announces alpha.
		const extended = Buffer.alloc(18);
		extended.write('VP8X', 0, 'latin1');
		extended.writeUInt32LE(10, 4);
		extended[8] = 0x10;
		extended.writeUIntLE(width - 1, 12, 3);
		extended.writeUIntLE(height - 1, 15, 3);
		bytes.unshift(extended);
	}
	return { still: riff(bytes), x: 2 * uint24(data, frame.payload), y: 2 * uint24(data, frame.payload + 3), frames: frames.length };
}

interface WebpExports {
	memory: { buffer: ArrayBuffer };
	malloc(size: number): number;
	free(pointer: number): void;
	WebPDecodeRGBA(input: number, size: number, width: number, height: number): number;
}

/** Node's global WebAssembly, as far as the decoder uses it (the es2021 library does not declare it). */
declare const WebAssembly: {
	instantiate(bytes: Uint8Array, imports: Record<string, Record<string, () => never>>): Promise<{ instance: { exports: unknown } }>;
};

let webpDecoder: Promise<WebpExports> | undefined;

/** libwebp asks for no system call when it decodes; one would mean a bug, so each one throws. */
function noSystemCall(): never {
	throw new Error('the WebP decoder made a system call');
}

async function decodeStill(data: Uint8Array): Promise<Raster> {
	webpDecoder ??= WebAssembly.instantiate(webpDecoderWasm, {
		wasi_snapshot_preview1: { fd_close: noSystemCall, fd_seek: noSystemCall, fd_write: noSystemCall },
	}).then(({ instance }) => instance.exports as unknown as WebpExports);
	const wasm = await webpDecoder;
	const input = wasm.malloc(data.length);
	const size = wasm.malloc(8);
	try {
		new Uint8Array(wasm.memory.buffer, input, data.length).set(data);
		const output = wasm.WebPDecodeRGBA(input, data.length, size, size + 4);
		if (output === 0) throw new UndecodableImage('libwebp could not decode it (a damaged WebP)');
		const [width, height] = new Uint32Array(wasm.memory.buffer, size, 2);
		const pixels = new Uint8Array(wasm.memory.buffer, output, width * height * 4).slice();
		wasm.free(output);
		return { width, height, data: pixels };
	} finally {
		wasm.free(input);
		wasm.free(size);
	}
}

/** The picture, or an animation's first frame on its transparent canvas, and the frame count. */
export async function decodeWebp(data: Uint8Array): Promise<{ raster: Raster; frames: number }> {
	const canvas = webpSize(data);
	checkPixels(canvas.width, canvas.height);
	const animation = firstFrame(data);
	if (animation === undefined) return { raster: await decodeStill(data), frames: 1 };
	// The frame's own header, checked too: it need not agree with the canvas.
	const frameSize = webpSize(animation.still);
	checkPixels(frameSize.width, frameSize.height);
	const frame = await decodeStill(animation.still);
	if (frame.width === canvas.width && frame.height === canvas.height) return { raster: frame, frames: animation.frames };
	const pixels = new Uint8Array(canvas.width * canvas.height * 4);
	for (let row = 0; row < frame.height && animation.y + row < canvas.height; row++) {
		const columns = Math.min(frame.width, canvas.width - animation.x) * 4;
		if (columns <= 0) break;
		const from = row * frame.width * 4;
		pixels.set(frame.data.subarray(from, from + columns), ((animation.y + row) * canvas.width + animation.x) * 4);
	}
	return { raster: { ...canvas, data: pixels }, frames: animation.frames };
}
