import { makeGif, makeJpeg, makePng } from '../fixtures/images';
import { WeChatSandbox } from '../sandbox';
import { DONE, imageItem, runAction } from './harness/workflows';

// Uploads read the image from a binary property of each input item through n8n-core's binary
// helpers (getBinaryDataBuffer), as images arrive from Read File or HTTP Request in n8n.

/** The bytes WeChat (the sandbox) serves at an uploaded image's url. */
async function servedBytes(url: unknown): Promise<Buffer> {
	const response = await fetch(String(url));
	expect(response.status).toBe(200);
	return Buffer.from(await response.arrayBuffer());
}

describe('uploads from binary data inside n8n-core', () => {
	let sandbox: WeChatSandbox;

	beforeAll(async () => {
		sandbox = await WeChatSandbox.start();
	});

	afterAll(async () => await sandbox?.close());

	it('Upload Cover reads each item\'s own binary property and pairs the media_id with it', async () => {
		const png = makePng(20, 10);
		const gif = makeGif();
		const result = await runAction(
			sandbox,
			{ resource: 'image', operation: 'uploadCover', binaryPropertyName: 'photo' },
			{ items: [imageItem(png, 'a.png', 'image/png', 'photo'), imageItem(gif, 'b.gif', 'image/gif', 'photo')] },
		);

		expect(result.error).toBeUndefined();
		const done = result.reached(DONE);
		expect(done.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(done.map((item) => item.json.media_id)).toEqual([expect.any(String), expect.any(String)]);
		expect(await servedBytes(done[0].json.url)).toEqual(png);
		expect(await servedBytes(done[1].json.url)).toEqual(gif);
	});

	it('Upload Content Image sends the binary bytes and returns their url', async () => {
		const jpeg = makeJpeg();
		const result = await runAction(
			sandbox,
			{ resource: 'image', operation: 'uploadContentImage', binaryPropertyName: 'data' },
			{ items: [imageItem(jpeg, 'content.jpg', 'image/jpeg')] },
		);

		const [item] = result.reached(DONE);
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(await servedBytes(item.json.url)).toEqual(jpeg);
	});

	it('names the missing binary property of one item under Continue On Fail; the others upload', async () => {
		const before = sandbox.count('/cgi-bin/media/uploadimg');
		const result = await runAction(
			sandbox,
			{ resource: 'image', operation: 'uploadContentImage', binaryPropertyName: 'data' },
			{
				items: [imageItem(makeJpeg(), 'one.jpg', 'image/jpeg'), { json: { note: 'no image here' } }, imageItem(makePng(), 'three.png', 'image/png')],
				settings: { onError: 'continueRegularOutput' },
			},
		);

		const done = result.reached(DONE);
		expect(done.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(done[1].json).toEqual({ error: { message: expect.stringMatching(/data/), errcode: null, outcomeUnknown: false } });
		expect(done[0].json.url).toEqual(expect.any(String));
		expect(done[2].json.url).toEqual(expect.any(String));
		expect(sandbox.count('/cgi-bin/media/uploadimg') - before).toBe(2);
	});
});

describe('the Markdown composer with binary:<property> images inside n8n-core', () => {
	let sandbox: WeChatSandbox;

	beforeAll(async () => {
		sandbox = await WeChatSandbox.start();
	});

	afterAll(async () => await sandbox?.close());

	it("Draft → Create re-hosts each item's own binary image and cover, paired with the item", async () => {
		const photos = [makeJpeg(), makePng(30, 12)];
		const markdown = '# From n8n\n\n![photo](binary:photo)';
		const result = await runAction(
			sandbox,
			{
				resource: 'draft',
				operation: 'create',
				contentFormat: 'markdown',
				articlesInput: 'fields',
				articles: { article: [{ title: '={{ "Item " + $json.fileName }}', content: markdown, coverImage: 'binary:photo' }] },
				options: {},
			},
			{ items: [imageItem(photos[0], 'a.jpg', 'image/jpeg', 'photo'), imageItem(photos[1], 'b.png', 'image/png', 'photo')] },
		);

		expect(result.error).toBeUndefined();
		const done = result.reached(DONE);
		expect(done.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		for (const [index, item] of done.entries()) {
			expect(item.json.warnings).toEqual([]);
			const [image] = item.json.images as Array<{ source: string; url: string }>;
			expect(image.source).toBe('binary:photo');
			expect(await servedBytes(image.url)).toEqual(photos[index]);
			expect(item.json.thumb_media_id).toEqual(expect.any(String));
		}
		expect(sandbox.count('/cgi-bin/draft/add')).toBe(2);
	});
});
