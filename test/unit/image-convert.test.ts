import { createRequire } from 'node:module';
import path from 'node:path';

import { decodeImage, encodePngImage, MAX_PIXELS } from '../../nodes/wechat/image/codecs';
import * as source from '../../nodes/wechat/image/convert';
import { detectFormat } from '../../nodes/wechat/image/formats';
import { downscale, type Raster } from '../../nodes/wechat/image/raster';
import { makeAnimatedGif, makeJpeg, makePhotoPixels, readAnimatedWebp, readPhotoWebp } from '../fixtures/images';
import { ensurePackageBuilt } from '../helpers/packageBuild';

jest.setTimeout(60_000);

const CONTENT = { formats: ['jpeg', 'png'] as const, maxBytes: 1024 * 1024 - 1 };

/** Mean absolute difference per channel between two rasters of the same size. */
function difference(a: Raster, b: Raster): number {
	let total = 0;
	for (let at = 0; at < a.data.length; at++) total += Math.abs(a.data[at] - b.data[at]);
	return total / a.data.length;
}

describe('decoding', () => {
	it('reads a lossy WebP close to the pixels it was made from', async () => {
		const decoded = await decodeImage(readPhotoWebp());
		expect(decoded.format).toBe('WebP');
		expect([decoded.raster.width, decoded.raster.height]).toEqual([640, 400]);
		expect(difference(decoded.raster, makePhotoPixels(640, 400, 8))).toBeLessThan(6);
	});

	it('reads a transparent WebP with its alpha', async () => {
		const { raster } = await decodeImage(readPhotoWebp(true));
		expect(raster.data[3]).toBe(255); // top left: opaque
		expect(raster.data[(raster.width - 1) * 4 + 3]).toBeLessThan(20); // top right: faded out
	});

	it('reads the first frame of an animated WebP, with its alpha, and counts its frames', async () => {
		const decoded = await decodeImage(readAnimatedWebp());
		expect([decoded.format, decoded.frames, decoded.raster.width, decoded.raster.height]).toEqual(['WebP', 2, 160, 100]);
		expect(decoded.raster.data[3]).toBe(255); // top left: opaque
		expect(decoded.raster.data[159 * 4 + 3]).toBeLessThan(20); // top right: faded out, as in the first frame only
		expect(difference(decoded.raster, makePhotoPixels(160, 100, 8, true))).toBeLessThan(8);
	});

	it('refuses an animation whose first frame claims more pixels than its canvas', async () => {
		const webp = Buffer.from(readAnimatedWebp());
		const frame = webp.indexOf('ANMF', 12, 'latin1') + 8;
		webp.writeUIntLE(9999, frame + 6, 3);
		webp.writeUIntLE(9999, frame + 9, 3);
		await expect(decodeImage(webp)).rejects.toThrow('it is 10000 x 10000 pixels, more than the 30 million converted');
	});

	it('reads the first frame of an animated GIF and counts its frames', async () => {
		const decoded = await decodeImage(makeAnimatedGif());
		expect(decoded.frames).toBe(2);
		expect([...decoded.raster.data]).toEqual([0x07, 0xc1, 0x60, 0xff]);
	});

	it('round-trips PNG losslessly', async () => {
		const pixels = makePhotoPixels(50, 30, 40, true);
		const { raster } = await decodeImage(encodePngImage(pixels));
		expect(Buffer.from(raster.data).equals(pixels.data)).toBe(true);
	});

	it('reads a baseline JPEG', async () => {
		const { raster } = await decodeImage(makeJpeg());
		expect([raster.width, raster.height]).toEqual([8, 8]);
	});

	it(`refuses a header over ${MAX_PIXELS / 1_000_000} million pixels before allocating them`, async () => {
		const webp = Buffer.from(readPhotoWebp());
		// A VP8 key frame's 14-bit width and height: 16383 x 16383.
		webp.writeUInt16LE(0x3fff, 26);
		webp.writeUInt16LE(0x3fff, 28);
		await expect(decodeImage(webp)).rejects.toThrow('it is 16383 x 16383 pixels, more than the 30 million converted');
	});
});

describe('downscale', () => {
	it('averages the area each output pixel covers', () => {
		const white = [255, 255, 255, 255];
		const black = [0, 0, 0, 255];
		const checker: Raster = { width: 2, height: 2, data: new Uint8Array([...white, ...black, ...black, ...white]) };
		expect([...downscale(checker, 1, 1).data]).toEqual([128, 128, 128, 255]);
	});

	it('weights colours by alpha: a transparent neighbour does not darken the edge', () => {
		const raster: Raster = { width: 2, height: 1, data: new Uint8Array([255, 0, 0, 255, 0, 0, 0, 0]) };
		expect([...downscale(raster, 1, 1).data]).toEqual([255, 0, 0, 128]);
	});
});

describe('convertImage', () => {
	it('an opaque PNG over 1 MB becomes a JPEG under it', async () => {
		const png = encodePngImage(makePhotoPixels(1200, 800, 60));
		expect(png.length).toBeGreaterThan(1024 * 1024);
		const converted = await source.convertImage(png, CONTENT);
		expect(converted!.format).toBe('jpeg');
		expect(detectFormat(converted!.data)).toBe('jpeg');
		expect(converted!.data.length).toBeLessThanOrEqual(CONTENT.maxBytes);
		expect(converted!.summary).toMatch(/^PNG converted to JPEG: 1\.\d MB → \d+ KB$/);
	});

	it('where only JPEG is taken, transparency is filled with white and said so', async () => {
		const converted = await source.convertImage(readPhotoWebp(true), { formats: ['jpeg'], maxBytes: 1024 * 1024 });
		expect(converted!.summary).toMatch(/^WebP converted to JPEG, transparency filled with white: 2 KB → \d+ KB$/);
		const { raster } = await decodeImage(converted!.data);
		const topRight = (raster.width - 1) * 4;
		expect(raster.data[topRight]).toBeGreaterThan(240);
	});

	it('scales down until the limit is met, and says from what size to what size', async () => {
		const converted = await source.convertImage(readPhotoWebp(), { formats: ['jpeg'], maxBytes: 8 * 1024 });
		expect(converted!.data.length).toBeLessThanOrEqual(8 * 1024);
		expect(converted!.summary).toMatch(/^WebP converted to JPEG, scaled from 640 x 400 to \d+ x \d+: 5 KB → [1-8] KB$/);
	});

	it('returns undefined when the target takes neither JPEG nor PNG', async () => {
		expect(await source.convertImage(readPhotoWebp(), { formats: ['gif'], maxBytes: 1024 * 1024 })).toBeUndefined();
	});
});

describe('the bundled codecs in dist/ (WebAssembly embedded, nothing read from disk)', () => {
	it('convert like the sources', async () => {
		ensurePackageBuilt();
		const dist = createRequire(__filename)(path.resolve(__dirname, '../../dist/nodes/wechat/image/convert.js')) as typeof source;
		for (const image of [readPhotoWebp(), readPhotoWebp(true), readAnimatedWebp(), makeAnimatedGif()]) {
			expect(await dist.convertImage(image, CONTENT)).toEqual(await source.convertImage(image, CONTENT));
		}
	}, 300_000);
});
