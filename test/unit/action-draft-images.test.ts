import type { IDataObject } from 'n8n-workflow';

import { makeLargeJpeg, makePng, readPhotoWebp } from '../fixtures/images';
import { ImageServer, WeChatSandbox } from '../sandbox';
import { binaryImage, dataUri, draftCreate, runNode, runNodeError, uploadCover } from './action-harness';

// Images WeChat refuses, converted before upload; and what a failed draft does with its uploads.
// The sandbox's upload endpoints refuse what WeChat refuses (WebP, GIF in content, over 1 MB), so
// a draft that is created proves the conversion.

interface DraftOutput {
	media_id: string;
	images: Array<{ source: string; url: string }>;
	thumb_media_id: string;
	warnings: string[];
}

// Encoding and converting photos of several megapixels in JavaScript takes seconds on a busy machine.
jest.setTimeout(120_000);

/** Draft → Create with `options` beside Allow Private Network. */
function create(articles: IDataObject[], options: IDataObject = {}, extra: IDataObject = {}): IDataObject {
	return draftCreate(articles, { ...extra, options });
}

describe('Draft → Create: images', () => {
	let sandbox: WeChatSandbox;
	let images: ImageServer;
	let cover: string;
	let largeJpeg: Buffer;

	beforeAll(async () => {
		[sandbox, images] = await Promise.all([WeChatSandbox.start(), ImageServer.start()]);
		// Made before any test: seconds of encoding mid-test would outlast the sandbox's keep-alive.
		largeJpeg = makeLargeJpeg(3 * 1024 * 1024);
		await fetch(`${images.url}/large.jpg`).then(async (response) => response.arrayBuffer());
		cover = await uploadCover(sandbox);
	});

	afterAll(async () => {
		await Promise.all([sandbox.close(), images.close()]);
	});

	beforeEach(() => {
		sandbox.clearFaults();
		sandbox.resetCounts();
	});

	describe('converts images WeChat refuses', () => {
		async function draftContent(mediaId: string): Promise<string> {
			const [item] = await runNode(sandbox, { resource: 'draft', operation: 'get', mediaId: { __rl: true, mode: 'id', value: mediaId } });
			return String((item.json.news_item as IDataObject[])[0].content);
		}

		it('a WebP, an animated GIF and a 3 MB JPEG in Markdown become images on WeChat, each conversion named', async () => {
			const markdown = [`![webp](${images.url}/webp)`, '', `![gif](${images.url}/animated.gif)`, '', `![photo](${images.url}/large.jpg)`].join('\n');
			const [item] = await runNode(sandbox, create([{ title: 'Formats', content: markdown, thumb_media_id: cover }], {}, { contentFormat: 'markdown' }));
			const output = item.json as unknown as DraftOutput;
			expect(sandbox.count('/cgi-bin/media/uploadimg')).toBe(3);
			expect(output.images).toHaveLength(3);
			const content = await draftContent(output.media_id);
			for (const image of output.images) {
				expect(image.url.startsWith(`${sandbox.url}/mmbiz/`)).toBe(true);
				expect(content).toContain(`src="${image.url}"`);
			}
			expect(content).not.toContain(images.url);
			expect(output.warnings).toEqual([
				expect.stringMatching(/^Image 1 of article 1 \(.*\/webp\) was made acceptable to WeChat: WebP converted to JPEG: 5 KB → \d+ KB$/),
				expect.stringMatching(/^Image 2 of article 1 \(.*\/animated\.gif\) was made acceptable to WeChat: animated GIF \(2 frames; its first frame kept\) converted to PNG: 1 KB → 1 KB$/),
				expect.stringMatching(/^Image 3 of article 1 \(.*\/large\.jpg\) was made acceptable to WeChat: JPEG re-encoded, scaled from \d+ x \d+ to \d+ x \d+: 3\.\d MB → \d+ KB$/),
			]);
			// What the sandbox stored is what WeChat would have: JPEG or PNG under 1 MB.
			for (const image of output.images) {
				const stored = await fetch(image.url).then(async (response) => Buffer.from(await response.arrayBuffer()));
				expect(stored.length).toBeLessThan(1024 * 1024);
				expect([0xff, 0x89]).toContain(stored[0]);
			}
		});

		it('a transparent WebP becomes a PNG that keeps its transparency', async () => {
			const webp = readPhotoWebp(true);
			const [item] = await runNode(sandbox, create([{ title: 'Alpha', content: `<img src="${dataUri(webp, 'image/webp')}">`, thumb_media_id: cover }]));
			const output = item.json as unknown as DraftOutput;
			expect(output.warnings).toEqual([expect.stringMatching(/WebP converted to PNG: 2 KB → \d+ KB$/)]);
			const stored = await fetch(output.images[0].url).then(async (response) => Buffer.from(await response.arrayBuffer()));
			expect(stored.subarray(1, 4).toString('latin1')).toBe('PNG');
		});

		it('covers and image-post pictures: WebP converted, GIF kept as GIF (permanent material takes it)', async () => {
			const webp = readPhotoWebp();
			const [news] = await runNode(
				sandbox,
				create([{ title: 'Cover', content: '<p>text</p>', coverImage: 'binary:cover' }]),
				{ binary: [{ cover: binaryImage(webp, 'cover.webp', 'image/webp').data }] },
			);
			expect((news.json as unknown as DraftOutput).warnings).toEqual([expect.stringMatching(/^The cover image of article 1 \(binary:cover\) was made acceptable to WeChat: WebP converted to JPEG/)]);
			const pictures = [`${images.url}/webp`, `${images.url}/image.gif`].join('\n');
			const [post] = await runNode(sandbox, create([{ title: 'Pictures', content: 'text', article_type: 'newspic', images: pictures }]));
			const output = post.json as unknown as DraftOutput;
			expect(output.warnings).toEqual([expect.stringMatching(/^A picture of image post 1 \(.*\/webp\) was made acceptable to WeChat: WebP converted to JPEG/)]);
			expect(sandbox.count('/cgi-bin/material/add_material')).toBe(3);
			const gif = await fetch(output.images[1].url).then(async (response) => Buffer.from(await response.arrayBuffer()));
			expect(gif.subarray(0, 3).toString('latin1')).toBe('GIF');
		});

		it('a large JPEG cover under 10 MB is uploaded as it is', async () => {
			const [item] = await runNode(sandbox, create([{ title: 'Big cover', content: '<p>x</p>', coverImage: 'binary:photo' }]), {
				binary: [{ photo: binaryImage(largeJpeg, 'photo.jpg', 'image/jpeg').data }],
			});
			expect((item.json as unknown as DraftOutput).warnings).toEqual([]);
		});

		describe('still refuses, before any WeChat call', () => {
			it.each([
				['an SVG', `<img src="IMAGES/image.svg">`, /Image 1 of article 1 .* cannot be used: it is SVG; WeChat takes only JPEG or PNG here$/],
				[
					'a damaged WebP',
					`<img src="${dataUri(Buffer.concat([readPhotoWebp().subarray(0, 40), Buffer.alloc(200, 7)]), 'image/webp')}">`,
					/cannot be used: it is WebP; WeChat takes only JPEG or PNG here, and it cannot be converted: libwebp could not decode it \(a damaged WebP\)/,
				],
				[
					'a PNG whose header claims 100,000 x 100,000 pixels',
					`<img src="${dataUri(Buffer.concat([makePng().subarray(0, 16), Buffer.from([0, 1, 0x86, 0xa0, 0, 1, 0x86, 0xa0]), Buffer.alloc(2 * 1024 * 1024)]), 'image/png')}">`,
					/it is 2\.0 MB; WeChat takes under 1 MB here, and it cannot be converted: it is 100000 x 100000 pixels, more than the 30 million converted/,
				],
			])('%s', async (_name, content, message) => {
				const error = await runNodeError(sandbox, create([{ title: 'Refused', content: content.replace('IMAGES', images.url), thumb_media_id: cover }]));
				expect(error.message).toMatch(message);
				expect(error.description).toMatch(/Convert the image|Make the image smaller/);
				expect(sandbox.counts()).toEqual({});
			});
		});
	});

	describe('image downloads and binary references', () => {
		it('Image Download Timeout is a deadline over headers and body: a server sending a byte every 1.5 s is given up at 2 s', async () => {
			const error = await runNodeError(
				sandbox,
				create([{ title: 'Trickle', content: `<img src="${images.url}/trickle.png?every=1500">`, thumb_media_id: cover }], { imageTimeout: 2 }),
			);
			// n8n's helper streams the body ("did not finish"); the unit double reads it whole first ("got no answer").
			expect(error.message).toMatch(/trickle\.png\?every=1500\) cannot be used: the download (did not finish|got no answer) within 2 s$/);
			expect(sandbox.counts()).toEqual({});
		});

		it('a download refused under the 1 MB content limit is fetched again for a cover (10 MB limit)', async () => {
			const big = `${images.url}/big.png`;
			const outcome = await runNode(
				sandbox,
				[
					create([{ title: 'Content', content: `<img src="${big}">`, thumb_media_id: cover }], { convertImages: false }),
					create([{ title: 'Cover', content: '<p>x</p>', coverImage: big }], { convertImages: false }),
				],
				{ items: [{ json: {} }, { json: {} }], continueOnFail: true },
			);
			expect((outcome[0].json.error as { message: string }).message).toMatch(/it is 1\.2 MB, more than the 1024 KB accepted/);
			expect(outcome[1].json.media_id).toEqual(expect.any(String));
			expect(sandbox.count('/cgi-bin/material/add_material')).toBe(1);
		});

		it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('binary:%s names no binary property: the explained error', async (name) => {
			const error = await runNodeError(sandbox, create([{ title: 'Proto', content: `<img src="binary:${name}">`, thumb_media_id: cover }]), {
				binary: [binaryImage(makePng(), 'a.png', 'image/png')],
			});
			expect(error.message).toBe(`Image 1 of article 1 (binary:${name}) cannot be used: the input item has no binary property "${name}" (it has "data")`);
			expect(sandbox.counts()).toEqual({});
		});
	});

	describe('a refused draft reports its uploads and deletes its permanent images', () => {
		const article = (title: string, n: number) => ({ title, content: `<img src="${images?.url}/n/${n}.png">`, coverImage: `${images?.url}/n/${n + 1}.png` });

		it('draft/add refused: the cover it uploaded is deleted again, the content image reported', async () => {
			const before = sandbox.permanentImageIds();
			sandbox.injectFault('/cgi-bin/draft/add', { errcode: 45166, errmsg: 'invalid content' });
			const error = await runNodeError(sandbox, create([article('Refused', 300)]));
			expect(error.message).toMatch(/^WeChat error 45166 .*\)\. Images had been uploaded for it: see the details\.$/);
			expect(error.description).toMatch(/1 article image\(s\) had been uploaded \(http:\/\/127\.0\.0\.1:\d+\/mmbiz\/\S+\.png\); WeChat keeps them/);
			expect(error.description).toMatch(/The 1 permanent image\(s\) uploaded for it were deleted again: \S+\./);
			expect(sandbox.count('/cgi-bin/material/del_material')).toBe(1);
			expect(sandbox.permanentImageIds()).toEqual(before);
		});

		it('says which permanent image it could not delete', async () => {
			sandbox.injectFault('/cgi-bin/draft/add', { errcode: 45166, errmsg: 'invalid content' });
			sandbox.injectFault('/cgi-bin/material/del_material', { errcode: 40007, errmsg: 'invalid media_id' });
			const error = await runNodeError(sandbox, create([article('Undeletable', 310)]));
			expect(error.description).toMatch(/These permanent image\(s\) could not be deleted; delete them in the media library \(素材库\) if unused: \S+ \(.*40007/);
		});

		it('keeps the permanent images when the draft may have been created (no answer)', async () => {
			const before = sandbox.permanentImageIds().length;
			sandbox.injectFault('/cgi-bin/draft/add', { reset: true });
			const error = await runNodeError(sandbox, create([article('Unknown', 320)]));
			expect(error.description).toMatch(/were kept, because the draft may have been created/);
			expect(sandbox.count('/cgi-bin/material/del_material')).toBe(0);
			expect(sandbox.permanentImageIds()).toHaveLength(before + 1);
		});

		it('keeps a permanent image another item of the run put into its draft; a later item uploads a deleted one anew', async () => {
			sandbox.injectFault('/cgi-bin/draft/add', { errcode: 45166, errmsg: 'invalid content' });
			const same = article('Shared', 330);
			const outcome = await runNode(sandbox, [create([same]), create([same]), create([same])], {
				items: [{ json: {} }, { json: {} }, { json: {} }],
				continueOnFail: true,
			});
			// Item 1 failed first and deleted its cover; item 2 uploaded it anew and made its draft; item 3 reused it.
			expect(outcome[0].json.error).toMatchObject({ errcode: 45166, message: expect.any(String) });
			expect(outcome[1].json.media_id).toEqual(expect.any(String));
			expect(outcome[2].json.media_id).toEqual(expect.any(String));
			expect(sandbox.count('/cgi-bin/material/del_material')).toBe(1);
			expect(sandbox.count('/cgi-bin/material/add_material')).toBe(2);
			expect(sandbox.permanentImageIds()).toContain(outcome[1].json.thumb_media_id);
		});

		it('an upload refused after others succeeded: the permanent ones are deleted', async () => {
			sandbox.injectFault('/cgi-bin/media/uploadimg', { errcode: 40009, errmsg: 'invalid image size' });
			const error = await runNodeError(sandbox, create([{ ...article('Half', 340) }]));
			expect(error.message).toMatch(/Image 1 of article 1 .* could not be uploaded/);
			expect(error.description).toMatch(/The 1 permanent image\(s\) uploaded for it were deleted again/);
		});
	});
});
