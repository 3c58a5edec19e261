// Types for the parts of the image codecs the package uses; the libraries ship none.
declare module 'upng-js' {
	interface DecodedPng {
		width: number;
		height: number;
		depth: number;
		ctype: number;
		frames: unknown[];
	}
	const UPNG: {
		decode(data: ArrayBuffer): DecodedPng;
		toRGBA8(image: DecodedPng): ArrayBuffer[];
		/** `colours` 0 keeps every colour (lossless). */
		encode(frames: ArrayBuffer[], width: number, height: number, colours: number): ArrayBuffer;
	};
	export default UPNG;
}

declare module 'omggif' {
	export class GifReader {
		constructor(data: Uint8Array);
		width: number;
		height: number;
		numFrames(): number;
		decodeAndBlitFrameRGBA(frame: number, pixels: Uint8Array): void;
	}
}

declare module '@cwasm/webp/webp.wasm' {
	const bytes: Uint8Array;
	export default bytes;
}
