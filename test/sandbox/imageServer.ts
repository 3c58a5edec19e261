import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { makeAnimatedGif, makeGif, makeJpeg, makeLargeJpeg, makeLargePng, makePng, makeSvg, makeWebp, readPhotoWebp } from '../fixtures/images';

let largeJpegBytes: Buffer | undefined;
/** Made on first use: encoding it takes a second or two. */
function largeJpeg(): Buffer {
	largeJpegBytes ??= makeLargeJpeg(3 * 1024 * 1024);
	return largeJpegBytes;
}

const photoSized = new Map<number, Buffer>();
/** The k-th distinct image: photo-sized, so the demo's articles look like articles (a few KB: a gradient). */
function photoSizedPng(k: number): Buffer {
	let png = photoSized.get(k);
	if (png === undefined) {
		png = makePng(640 + k, 360);
		photoSized.set(k, png);
	}
	return png;
}

/**
 * An image host that is not WeChat's, for the article composer's tests: good and bad images,
 * a slow one, a missing one and a redirect loop. Every path's requests are counted.
 *
 * | path | answer |
 * |---|---|
 * | `/image.png`, `/image.jpg` | a tiny PNG, JPEG |
 * | `/n/<k>.png` | a distinct PNG per k, the size of a photo (640 + k by 360 pixels), for many different images |
 * | `/image.webp`, `/image.gif`, `/image.svg`, `/not-an-image.png` | formats WeChat's content upload refuses |
 * | `/big.png` | a PNG of 1.2 MB (over the 1 MB content limit) |
 * | `/slow.png?ms=N` | the PNG after N ms (default 5000) |
 * | `/trickle.png?every=N` | headers at once, then the PNG one byte every N ms (default 1500) |
 * | `/webp`, `/animated.gif`, `/large.jpg` | a WebP photo, an animated GIF, a JPEG photo over 3 MB |
 * | `/missing.png` | 404 |
 * | `/loop/a` ↔ `/loop/b` | a redirect loop; `/moved.png` redirects to `/image.png` |
 */
export class ImageServer {
	readonly counts = new Map<string, number>();
	private readonly timers = new Set<NodeJS.Timeout>();

	private constructor(
		private readonly server: Server,
		readonly url: string,
	) {}

	static async start(host = '127.0.0.1'): Promise<ImageServer> {
		const server = createServer();
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(0, host, () => resolve());
		});
		const images = new ImageServer(server, `http://${host}:${(server.address() as AddressInfo).port}`);
		server.on('request', (req, res) => {
			const url = new URL(req.url ?? '/', images.url);
			images.counts.set(url.pathname, images.count(url.pathname) + 1);
			const send = (type: string, body: Buffer) => res.writeHead(200, { 'Content-Type': type, 'Content-Length': body.length }).end(body);
			const distinct = /^\/n\/(\d{1,4})\.png$/.exec(url.pathname);
			if (distinct) return send('image/png', photoSizedPng(Number(distinct[1])));
			switch (url.pathname) {
				case '/image.png':
					return send('image/png', makePng());
				case '/image.jpg':
					return send('image/jpeg', makeJpeg());
				case '/image.webp':
					return send('image/webp', makeWebp());
				case '/image.gif':
					return send('image/gif', makeGif());
				case '/image.svg':
					return send('image/svg+xml', makeSvg());
				case '/not-an-image.png':
					return send('image/png', Buffer.from('<!DOCTYPE html><html><body>Not found</body></html>'));
				case '/big.png':
					return send('image/png', makeLargePng(1.2 * 1024 * 1024));
				case '/slow.png': {
					const timer = setTimeout(() => {
						images.timers.delete(timer);
						send('image/png', makePng());
					}, Number(url.searchParams.get('ms') ?? 5000));
					images.timers.add(timer);
					return undefined;
				}
				case '/trickle.png': {
					const body = makePng();
					res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': body.length });
					let sent = 0;
					const timer = setInterval(() => {
						if (sent >= body.length || res.destroyed) {
							clearInterval(timer);
							images.timers.delete(timer);
							res.end();
							return;
						}
						res.write(body.subarray(sent, ++sent));
					}, Number(url.searchParams.get('every') ?? 1500));
					images.timers.add(timer);
					return undefined;
				}
				case '/webp':
					return send('image/webp', readPhotoWebp());
				case '/animated.gif':
					return send('image/gif', makeAnimatedGif());
				case '/large.jpg':
					return send('image/jpeg', largeJpeg());
				case '/moved.png':
					return res.writeHead(302, { Location: '/image.png' }).end();
				case '/loop/a':
					return res.writeHead(302, { Location: '/loop/b' }).end();
				case '/loop/b':
					return res.writeHead(301, { Location: `${images.url}/loop/a` }).end();
				default:
					return res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
			}
		});
		return images;
	}

	count(path: string): number {
		return this.counts.get(path) ?? 0;
	}

	async close(): Promise<void> {
		for (const timer of this.timers) clearTimeout(timer); // clears intervals too
		this.timers.clear();
		await new Promise<void>((resolve) => {
			this.server.close(() => resolve());
			this.server.closeAllConnections();
		});
	}
}
