/**
 * Makes an image WeChat refuses acceptable before upload: WebP and GIF (where GIF is not taken)
 * become JPEG or PNG, and an image over the size limit is re-encoded and scaled down until it
 * fits. WeChat's formats and limits: media/uploadimg (article content) takes JPEG or PNG under
 * 1 MB; material/add_material (covers, image posts) takes JPEG, PNG, GIF or BMP up to 10 MB,
 * https://developers.weixin.qq.com/doc/offiaccount/Asset_Management/Adding_Permanent_Assets.html
 */
import { type Decoded, decodeImage, encodeJpegImage, encodePngImage } from './codecs';
import { FORMAT_NAMES, formatSize, type ImageFormat } from './formats';
import { downscale, flattenOnWhite, isOpaque, type Raster } from './raster';

/** JPEG quality of a conversion: visually the same as the source for photos. */
export const JPEG_QUALITY = 85;
/** Attempts to fit the limit; each scales down by the size still over it, and a little more. */
const MAX_ATTEMPTS = 8;

export interface ConversionTarget {
	formats: readonly ImageFormat[];
	maxBytes: number;
}

export interface Converted {
	data: Buffer;
	format: 'jpeg' | 'png';
	/** What was done, for the item's warnings: "WebP converted to JPEG, 812 KB → 240 KB". */
	summary: string;
}

/** Encodes the raster, scaled down as needed, until it is at most `maxBytes`; undefined if it never fits. */
function fit(raster: Raster, encode: (raster: Raster) => Buffer, maxBytes: number, startScale = 1): { data: Buffer; raster: Raster } | undefined {
	let current = startScale < 1 ? downscale(raster, Math.max(1, Math.floor(raster.width * startScale)), Math.max(1, Math.floor(raster.height * startScale))) : raster;
	for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
		const data = encode(current);
		if (data.length <= maxBytes) return { data, raster: current };
		const scale = Math.min(0.9, Math.sqrt(maxBytes / data.length) * 0.95);
		const width = Math.max(1, Math.floor(current.width * scale));
		const height = Math.max(1, Math.floor(current.height * scale));
		if (width === current.width && height === current.height) return undefined;
		current = downscale(raster, width, height);
	}
	return undefined;
}

/**
 * A JPEG over the limit re-encoded at full size stays about as large: its first attempt is
 * scaled by the share of the limit in its size, which saves an encode of the whole photo.
 */
function jpegStartScale(decoded: Decoded, bytes: number, maxBytes: number): number {
	return decoded.format === 'JPEG' && bytes > maxBytes ? Math.sqrt(maxBytes / bytes) : 1;
}

/** The output formats to try, best first: PNG keeps transparency and GIF's flat colours; JPEG suits the rest. */
function candidates(decoded: Decoded, target: ConversionTarget): Array<'jpeg' | 'png'> {
	const allowed = (['jpeg', 'png'] as const).filter((format) => target.formats.includes(format));
	// An opaque PNG is here because it is too large: as PNG again it would stay about as large.
	const order: Array<'jpeg' | 'png'> = !isOpaque(decoded.raster) || decoded.format === 'GIF' ? ['png', 'jpeg'] : ['jpeg'];
	return order.filter((format) => allowed.includes(format));
}

/**
 * Converts `data` to what `target` takes. Throws UndecodableImage (codecs) when the bytes cannot
 * be decoded; returns undefined when no format of `target` is one this can write.
 */
export async function convertImage(data: Buffer, target: ConversionTarget): Promise<Converted | undefined> {
	const decoded = await decodeImage(data);
	const { raster } = decoded;
	const formats = candidates(decoded, target);
	for (const [index, format] of formats.entries()) {
		const last = index === formats.length - 1;
		// PNG is tried at full size only: when it does not fit, JPEG scales better (unless PNG is all there is).
		const encoded =
			format === 'png'
				? last
					? fit(raster, encodePngImage, target.maxBytes)
					: ((png) => (png.length <= target.maxBytes ? { data: png, raster } : undefined))(encodePngImage(raster))
				: fit(flattenOnWhite(raster), (pixels) => encodeJpegImage(pixels, JPEG_QUALITY), target.maxBytes, jpegStartScale(decoded, data.length, target.maxBytes));
		if (encoded === undefined) continue;
		const steps: string[] = [];
		const from = decoded.frames > 1 ? `animated ${decoded.format} (${decoded.frames} frames; its first frame kept)` : decoded.format;
		steps.push(decoded.format === FORMAT_NAMES[format] ? `${from} re-encoded` : `${from} converted to ${FORMAT_NAMES[format]}`);
		if (encoded.raster.width !== raster.width || encoded.raster.height !== raster.height) steps.push(`scaled from ${raster.width} x ${raster.height} to ${encoded.raster.width} x ${encoded.raster.height}`);
		if (format === 'jpeg' && !isOpaque(raster)) steps.push('transparency filled with white');
		return { data: encoded.data, format, summary: `${steps.join(', ')}: ${formatSize(data.length)} → ${formatSize(encoded.data.length)}` };
	}
	return undefined;
}
