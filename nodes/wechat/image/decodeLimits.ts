/** What decoding refuses, and why. */

/**
 * The most pixels decoded (a 6000 x 5000 photo): 120 MB of RGBA. A larger image is refused before
 * its pixels are allocated, so a small file declaring a huge canvas cannot exhaust memory.
 */
export const MAX_PIXELS = 30_000_000;

/** Why some bytes could not be decoded. */
export class UndecodableImage extends Error {}

export function checkPixels(width: number, height: number): void {
	if (!(width > 0 && height > 0)) throw new UndecodableImage('its header gives no size');
	if (width * height > MAX_PIXELS) {
		throw new UndecodableImage(`it is ${width} x ${height} pixels, more than the ${MAX_PIXELS / 1_000_000} million converted`);
	}
}
