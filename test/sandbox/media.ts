import { fail } from './errors';
import { multipartBoundary, parseMultipart } from './multipart';

export type ImageExtension = 'jpg' | 'png' | 'gif' | 'bmp';

export interface StoredImage {
	extension: ImageExtension;
	contentType: string;
	data: Buffer;
	/** Where the sandbox serves it. */
	path: string;
}

const SIGNATURES: Array<{ extension: ImageExtension; contentType: string; magic: number[] }> = [
	{ extension: 'jpg', contentType: 'image/jpeg', magic: [0xff, 0xd8, 0xff] },
	{ extension: 'png', contentType: 'image/png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
	{ extension: 'gif', contentType: 'image/gif', magic: [0x47, 0x49, 0x46, 0x38] },
	{ extension: 'bmp', contentType: 'image/bmp', magic: [0x42, 0x4d] },
];

/** The image type of some bytes by their magic number, whatever the file name claims. */
export function detectImage(data: Buffer): { extension: ImageExtension; contentType: string } | undefined {
	const found = SIGNATURES.find(({ magic }) => magic.every((byte, i) => data[i] === byte));
	return found && { extension: found.extension, contentType: found.contentType };
}

/** Limits of the two upload endpoints: permanent image material, and images for article bodies. */
export const UPLOAD_RULES = {
	material: { maxBytes: 10 * 1024 * 1024, extensions: ['jpg', 'png', 'gif', 'bmp'] },
	contentImage: { maxBytes: 1024 * 1024, extensions: ['jpg', 'png'] },
} as const;

/** Reads the `media` field of an upload as WeChat checks it: present, an allowed image, small enough. */
export function readUploadedImage(
	contentType: string | undefined,
	body: Buffer,
	rules: { maxBytes: number; extensions: readonly ImageExtension[] },
): Omit<StoredImage, 'path'> {
	const boundary = multipartBoundary(contentType);
	const parts = boundary === undefined ? undefined : parseMultipart(body, boundary);
	if (!parts) fail(41005, 'media data missing');
	const media = parts.find((part) => part.name === 'media' && part.filename !== undefined);
	if (!media || media.data.length === 0) fail(41005, 'media data missing');
	const image = detectImage(media.data);
	// Bytes that are no image WeChat knows (WebP, SVG, text) read as missing media data.
	if (!image) fail(41005, 'media data missing');
	if (!rules.extensions.includes(image.extension)) fail(40113, 'unsupported file type');
	if (media.data.length > rules.maxBytes) fail(45001, 'media size out of limit');
	return { ...image, data: media.data };
}
