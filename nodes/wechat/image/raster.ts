/** Decoded pixels: 8-bit RGBA, row after row. */
export interface Raster {
	width: number;
	height: number;
	data: Uint8Array;
}

export function isOpaque(raster: Raster): boolean {
	const { data } = raster;
	for (let at = 3; at < data.length; at += 4) if (data[at] !== 255) return false;
	return true;
}

/** The pixels over white: what a transparent image looks like on WeChat's white article page. */
export function flattenOnWhite(raster: Raster): Raster {
	if (isOpaque(raster)) return raster;
	const data = new Uint8Array(raster.data.length);
	for (let at = 0; at < data.length; at += 4) {
		const alpha = raster.data[at + 3] / 255;
		for (let channel = 0; channel < 3; channel++) data[at + channel] = Math.round(raster.data[at + channel] * alpha + 255 * (1 - alpha));
		data[at + 3] = 255;
	}
	return { ...raster, data };
}

/**
 * Area-average resampling along one axis: each output sample averages the input samples it
 * covers, weighted by how much of each it covers. Colours are weighted by alpha, so transparent
 * pixels do not darken the edges of what is kept.
 */
function resampleAxis(input: Float32Array, width: number, height: number, outWidth: number): Float32Array {
	const output = new Float32Array(outWidth * height * 4);
	const step = width / outWidth;
	for (let x = 0; x < outWidth; x++) {
		const start = x * step;
		const end = start + step;
		for (let y = 0; y < height; y++) {
			let r = 0;
			let g = 0;
			let b = 0;
			let a = 0;
			for (let source = Math.floor(start); source < end && source < width; source++) {
				const weight = Math.min(end, source + 1) - Math.max(start, source);
				const at = (y * width + source) * 4;
				r += input[at] * weight;
				g += input[at + 1] * weight;
				b += input[at + 2] * weight;
				a += input[at + 3] * weight;
			}
			const to = (y * outWidth + x) * 4;
			output[to] = r / step;
			output[to + 1] = g / step;
			output[to + 2] = b / step;
			output[to + 3] = a / step;
		}
	}
	return output;
}

/** Swaps rows and columns of a float RGBA image, so the vertical pass reuses the horizontal one. */
function transpose(input: Float32Array, width: number, height: number): Float32Array {
	const output = new Float32Array(input.length);
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			const from = (y * width + x) * 4;
			const to = (x * height + y) * 4;
			output[to] = input[from];
			output[to + 1] = input[from + 1];
			output[to + 2] = input[from + 2];
			output[to + 3] = input[from + 3];
		}
	}
	return output;
}

/** The raster scaled down to `width` x `height` (never up). */
export function downscale(raster: Raster, width: number, height: number): Raster {
	const premultiplied = new Float32Array(raster.data.length);
	for (let at = 0; at < raster.data.length; at += 4) {
		const alpha = raster.data[at + 3];
		premultiplied[at] = (raster.data[at] * alpha) / 255;
		premultiplied[at + 1] = (raster.data[at + 1] * alpha) / 255;
		premultiplied[at + 2] = (raster.data[at + 2] * alpha) / 255;
		premultiplied[at + 3] = alpha;
	}
	const across = resampleAxis(premultiplied, raster.width, raster.height, width);
	const down = transpose(resampleAxis(transpose(across, width, raster.height), raster.height, width, height), height, width);
	// Clamped: rounding may give 256, which a plain Uint8Array would wrap to 0.
	const data = new Uint8ClampedArray(width * height * 4);
	for (let at = 0; at < data.length; at += 4) {
		const alpha = down[at + 3];
		const unpremultiply = alpha > 0 ? 255 / alpha : 0;
		data[at] = Math.round(down[at] * unpremultiply);
		data[at + 1] = Math.round(down[at + 1] * unpremultiply);
		data[at + 2] = Math.round(down[at + 2] * unpremultiply);
		data[at + 3] = Math.round(alpha);
	}
	return { width, height, data: new Uint8Array(data.buffer) };
}
