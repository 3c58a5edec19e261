import { makeBmp, makeGif, makeJpeg, makePng } from '../fixtures/images';
import { WeChatSandbox } from '../sandbox';
import { binaryImage, runNode, runNodeError } from './action-harness';

const COVER = { resource: 'image', operation: 'uploadCover', binaryPropertyName: 'data' };
const CONTENT = { resource: 'image', operation: 'uploadContentImage', binaryPropertyName: 'data' };

/** A buffer of `size` bytes that starts like a PNG: only the node's checks look at it. */
function pngOfSize(size: number): Buffer {
	const data = Buffer.alloc(size);
	makePng().copy(data);
	return data;
}

describe('WeChat Official Account node: Image', () => {
	let sandbox: WeChatSandbox;

	beforeAll(async () => {
		sandbox = await WeChatSandbox.start();
	});

	afterAll(async () => {
		await sandbox.close();
	});

	beforeEach(() => sandbox.resetCounts());

	async function download(url: string): Promise<Buffer> {
		const response = await fetch(url);
		expect(response.status).toBe(200);
		return Buffer.from(await response.arrayBuffer());
	}

	it('uploads a PNG cover as permanent material: media_id and a URL serving the same bytes', async () => {
		const png = makePng();
		const items = await runNode(sandbox, COVER, { binary: [binaryImage(png, 'cover.png', 'image/png')] });
		expect(items).toHaveLength(1);
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(typeof items[0].json.media_id).toBe('string');
		expect((items[0].json.media_id as string).length).toBeGreaterThan(20);
		expect(await download(items[0].json.url as string)).toEqual(png);
		expect(sandbox.count('/cgi-bin/material/add_material')).toBe(1);
	});

	it.each([
		['GIF', makeGif(), 'cover.gif', 'image/gif'],
		['BMP', makeBmp(), 'cover.bmp', 'image/bmp'],
		['JPEG', makeJpeg(), 'cover.jpg', 'image/jpeg'],
	])('accepts a %s cover', async (_format, data, fileName, mimeType) => {
		const [item] = await runNode(sandbox, COVER, { binary: [binaryImage(data, fileName, mimeType)] });
		expect(await download(item.json.url as string)).toEqual(data);
	});

	it('detects the type from the bytes, not from a wrong MIME type or file name', async () => {
		const png = makePng();
		const [item] = await runNode(sandbox, COVER, {
			binary: [binaryImage(png, 'photo.webp', 'application/octet-stream')],
		});
		const response = await fetch(item.json.url as string);
		expect(response.headers.get('content-type')).toBe('image/png');
		expect(item.json.url).toMatch(/\.png$/);
	});

	it('uploads a JPEG content image: only a URL, usable in <img src>', async () => {
		const jpeg = makeJpeg();
		const [item] = await runNode(sandbox, CONTENT, { binary: [binaryImage(jpeg, 'content.jpg', 'image/jpeg')] });
		expect(Object.keys(item.json)).toEqual(['url']);
		expect(await download(item.json.url as string)).toEqual(jpeg);
		expect(sandbox.count('/cgi-bin/media/uploadimg')).toBe(1);
	});

	it('refuses a content image of 1 MB or more before uploading, saying the limit and the size', async () => {
		const error = await runNodeError(sandbox, CONTENT, {
			binary: [binaryImage(pngOfSize(1024 * 1024), 'big.png', 'image/png')],
		});
		expect(error.message).toBe('A content image must be under 1 MB; "big.png" is 1.0 MB');
		expect(error.context?.itemIndex).toBe(0);
		expect(sandbox.count('/cgi-bin/media/uploadimg')).toBe(0);
	});

	it('accepts a content image just under 1 MB (the sandbox checks it too)', async () => {
		const [item] = await runNode(sandbox, CONTENT, {
			binary: [binaryImage(pngOfSize(1024 * 1024 - 1), 'almost.png', 'image/png')],
		});
		expect(item.json.url).toMatch(/\.png$/);
	});

	it('refuses a cover over 10 MB before uploading', async () => {
		const error = await runNodeError(sandbox, COVER, {
			binary: [binaryImage(pngOfSize(10 * 1024 * 1024 + 1), 'huge.png', 'image/png')],
		});
		expect(error.message).toBe('A cover image must be at most 10 MB; "huge.png" is 10.0 MB');
		expect(sandbox.count('/cgi-bin/material/add_material')).toBe(0);
	});

	it('refuses a GIF as content image: only JPEG and PNG', async () => {
		const error = await runNodeError(sandbox, CONTENT, { binary: [binaryImage(makeGif(), 'anim.gif', 'image/gif')] });
		expect(error.message).toBe('A content image must be JPEG, PNG; "anim.gif" in binary field "data" is GIF');
		expect(sandbox.count('/cgi-bin/media/uploadimg')).toBe(0);
	});

	it('refuses a file that is no image, naming its MIME type', async () => {
		const error = await runNodeError(sandbox, COVER, {
			binary: [binaryImage(Buffer.from('<html></html>'), 'page.html', 'text/html')],
		});
		expect(error.message).toBe(
			'A cover image must be JPEG, PNG, GIF, BMP; "page.html" in binary field "data" is not a recognised image (MIME type text/html)',
		);
		expect(sandbox.count('/cgi-bin/material/add_material')).toBe(0);
	});

	it('reads the binary field named by the parameter and says when it is missing', async () => {
		const png = makePng();
		const [item] = await runNode(
			sandbox,
			{ ...COVER, binaryPropertyName: 'picture' },
			{ binary: [{ picture: binaryImage(png, 'p.png', 'image/png').data }] },
		);
		expect(await download(item.json.url as string)).toEqual(png);

		const error = await runNodeError(sandbox, { ...COVER, binaryPropertyName: 'missing' }, {
			binary: [binaryImage(png, 'p.png', 'image/png')],
		});
		expect(error.message).toContain("'missing'");
	});

	it('with Continue On Fail, a bad image becomes an error item and the others upload', async () => {
		const items = await runNode(sandbox, CONTENT, {
			items: [{ json: {} }, { json: {} }, { json: {} }],
			binary: [
				binaryImage(makeJpeg(), 'a.jpg', 'image/jpeg'),
				binaryImage(makeGif(), 'b.gif', 'image/gif'),
				binaryImage(makePng(), 'c.png', 'image/png'),
			],
			continueOnFail: true,
		});
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[0].json.url).toMatch(/\.jpg$/);
		expect(items[1].json).toEqual({
			error: {
				message: 'A content image must be JPEG, PNG; "b.gif" in binary field "data" is GIF',
				errcode: null,
				outcomeUnknown: false,
			},
		});
		expect(items[2].json.url).toMatch(/\.png$/);
		expect(sandbox.count('/cgi-bin/media/uploadimg')).toBe(2);
	});
});
