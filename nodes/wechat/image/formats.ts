/** Image formats by their first bytes: a MIME type or file name can be wrong or missing. */

export type ImageFormat = 'jpeg' | 'png' | 'gif' | 'bmp';

export const FORMATS: Record<ImageFormat, { signature: number[]; extension: string; mimeType: string }> = {
	jpeg: { signature: [0xff, 0xd8, 0xff], extension: 'jpg', mimeType: 'image/jpeg' },
	png: {
		signature: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
		extension: 'png',
		mimeType: 'image/png',
	},
	gif: { signature: [0x47, 0x49, 0x46, 0x38], extension: 'gif', mimeType: 'image/gif' },
	bmp: { signature: [0x42, 0x4d], extension: 'bmp', mimeType: 'image/bmp' },
};

export const FORMAT_NAMES: Record<ImageFormat, string> = { jpeg: 'JPEG', png: 'PNG', gif: 'GIF', bmp: 'BMP' };

/** One of the formats WeChat's uploads know, or undefined. */
export function detectFormat(data: Uint8Array): ImageFormat | undefined {
	return (Object.keys(FORMATS) as ImageFormat[]).find((format) =>
		FORMATS[format].signature.every((byte, at) => data[at] === byte),
	);
}

export function isWebp(data: Uint8Array): boolean {
	const head = Buffer.from(data.subarray(0, 12)).toString('latin1');
	return head.startsWith('RIFF') && head.slice(8, 12) === 'WEBP';
}

export function formatSize(bytes: number): string {
	return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}
