import type { IDataObject } from 'n8n-workflow';

import { makeJpeg, makePng, makeWebp } from '../fixtures/images';
import { ImageServer, WeChatSandbox } from '../sandbox';
import { binaryImage, dataUri, draftArticles, draftCreate, runNode, runNodeError, uploadCover } from './action-harness';

const DRAFT_PATHS = ['/cgi-bin/media/uploadimg', '/cgi-bin/material/add_material', '/cgi-bin/draft/add'];

const create = draftCreate;

describe('Draft → Create composes the article: Markdown, images, cover, limits', () => {
	let sandbox: WeChatSandbox;
	let images: ImageServer;
	let cover: string;

	beforeAll(async () => {
		[sandbox, images] = await Promise.all([WeChatSandbox.start(), ImageServer.start()]);
		cover = await uploadCover(sandbox);
	});

	afterAll(async () => {
		await Promise.all([sandbox.close(), images.close()]);
	});

	beforeEach(() => sandbox.resetCounts());

	it('turns Markdown with a URL image, a data: URI, a binary image and a cover URL into a draft with WeChat images', async () => {
		const markdown = [
			'# Launch',
			'',
			`![From a URL](${images.url}/image.png)`,
			'',
			`![Inline](${dataUri(makeJpeg(), 'image/jpeg')})`,
			'',
			'![From the item](binary:photo)',
			'',
			'Read [the docs](https://example.com/docs).',
		].join('\n');
		const [item] = await runNode(
			sandbox,
			create([{ title: 'Launch', content: markdown, coverImage: `${images.url}/image.jpg` }], { contentFormat: 'markdown' }),
			{ binary: [{ photo: binaryImage(makePng(20, 10), 'photo.png', 'image/png').data }] },
		);
		expect(sandbox.count('/cgi-bin/media/uploadimg')).toBe(3);
		expect(sandbox.count('/cgi-bin/material/add_material')).toBe(1);
		expect(sandbox.count('/cgi-bin/draft/add')).toBe(1);
		expect(sandbox.count('/cgi-bin/draft/get')).toBe(1); // verifyDraft
		const output = item.json as { media_id: string; images: Array<{ source: string; url: string }>; thumb_media_id: string; warnings: string[] };
		expect(output.warnings).toEqual([]);
		expect(output.images.map((image) => image.source)).toEqual([
			`${images.url}/image.png`,
			dataUri(makeJpeg(), 'image/jpeg'),
			'binary:photo',
			`${images.url}/image.jpg`,
		]);
		for (const image of output.images) expect(image.url.startsWith(`${sandbox.url}/mmbiz/`)).toBe(true);
		const [article] = await draftArticles(sandbox, output.media_id);
		expect(article.thumb_media_id).toBe(output.thumb_media_id);
		const content = String(article.content);
		for (const image of output.images.slice(0, 3)) expect(content).toContain(`src="${image.url}"`);
		expect(content).not.toContain(images.url);
		expect(content).not.toContain('<h1 class');
		// The uploaded bytes are what the sandbox serves.
		const served = await fetch(output.images[2].url);
		expect(Buffer.from(await served.arrayBuffer())).toEqual(makePng(20, 10));
	});

	it('uploads the same image once per run: same URL, same bytes from another source, another item', async () => {
		const png = makePng(33, 3);
		const content = [
			`<p><img src="${images.url}/n/40.png"><img src="${images.url}/n/40.png"></p>`,
			`<p><img src="${dataUri(png)}"><img src="binary:data"></p>`,
		].join('');
		const before = images.count('/n/40.png');
		const output = await runNode(
			sandbox,
			create([{ title: 'Twice', content, thumb_media_id: cover }]),
			{ items: [{ json: {} }, { json: {} }], binary: [binaryImage(png, 'a.png', 'image/png'), binaryImage(png, 'a.png', 'image/png')] },
		);
		expect(output).toHaveLength(2);
		expect(images.count('/n/40.png') - before).toBe(1);
		expect(sandbox.count('/cgi-bin/media/uploadimg')).toBe(2);
		expect(sandbox.count('/cgi-bin/draft/add')).toBe(2);
		const urls = (output[1].json.images as Array<{ url: string }>).map((image) => image.url);
		expect(new Set(urls).size).toBe(2);
	});

	it('follows a redirect to the image', async () => {
		const [item] = await runNode(sandbox, create([{ title: 'Moved', content: `<img src="${images.url}/moved.png">`, thumb_media_id: cover }]));
		expect(item.json.images).toEqual([{ source: `${images.url}/moved.png`, url: expect.stringContaining('/mmbiz/') }]);
	});

	it('creates a styled article whose HTML is far over 20,000 characters while its text is under', async () => {
		const paragraph = `Paragraph with **bold**, \`code\` and a [link](https://example.com/x). ${'字'.repeat(80)}`;
		const markdown = Array.from({ length: 150 }, (_, index) => (index % 10 === 0 ? `## Section ${index}` : paragraph)).join('\n\n');
		const [item] = await runNode(sandbox, create([{ title: 'Long', content: markdown, thumb_media_id: cover }], { contentFormat: 'markdown' }));
		const [stored] = await draftArticles(sandbox, item.json.media_id as string);
		expect((stored.content as string).length).toBeGreaterThan(40_000);
		expect(sandbox.count('/cgi-bin/draft/add')).toBe(1);
	});

	describe('refuses before any WeChat call', () => {
		const refusals: Array<[string, IDataObject, RegExp, RegExp?]> = [
			['a WebP image (Convert Images off)', { content: '<img src="IMAGES/image.webp">', options: { convertImages: false } }, /Image 1 of article 1 \(.*\/image\.webp\) cannot be used: it is WebP; WeChat takes only JPEG or PNG/, /Convert the image to JPEG or PNG/],
			['a GIF image (Convert Images off)', { content: '<p>a</p><img src="IMAGES/image.png"><img src="IMAGES/image.gif">', options: { convertImages: false } }, /Image 2 of article 1 .*it is GIF/],
			['an SVG image', { content: '<img src="IMAGES/image.svg">' }, /it is SVG/],
			['an image over 1 MB (Convert Images off)', { content: '<img src="IMAGES/big.png">', options: { convertImages: false } }, /big\.png\) cannot be used: it is 1\.2 MB, more than the 1024 KB/, /smaller/],
			['a file that is no image', { content: '<img src="IMAGES/not-an-image.png">' }, /it is an HTML page/],
			['a 404', { content: '<img src="IMAGES/missing.png">' }, /missing\.png\) cannot be used: its server answered HTTP 404/, /opens the image in a browser/],
			['a redirect loop', { content: '<img src="IMAGES/loop/a">' }, /redirects in a loop/],
			['a slow image', { content: '<img src="IMAGES/slow.png?ms=3000">', options: { imageTimeout: 1 } }, /got no answer within 1 s/],
			['a binary property that is missing', { content: '<img src="binary:nothing">' }, /input item has no binary property "nothing"/, /binary:data/],
			['a WebP data: URI (Convert Images off)', { content: `<img src="${dataUri(makeWebp(), 'image/webp')}">`, options: { convertImages: false } }, /Image 1 of article 1 \(data:image\/webp;base64,… \(\d+ characters\)\) cannot be used: it is WebP/],
			['a WebP cover (Convert Images off)', { content: '<p>x</p>', thumb_media_id: '', coverImage: 'IMAGES/image.webp', options: { convertImages: false } }, /The cover image of article 1 .* it is WebP; WeChat takes only JPEG or PNG or GIF or BMP/],
			['a title over 64 characters', { title: '标'.repeat(65) }, /Title has 65 characters; WeChat allows at most 64 \(draft\/add would answer errcode 45003\)/, /Shorten the title/],
			['an author over 16 characters', { author: '作者'.repeat(9) }, /Author has 18 characters.*errcode 45110/],
			['a digest over 120 characters', { digest: '摘'.repeat(121) }, /Summary \(digest\) has 121 characters; WeChat allows at most 120 .*errcode 45004/],
			['content text over 20,000 characters', { content: `<p>${'字'.repeat(20_001)}</p>` }, /Content has 20,001 characters of text; WeChat allows at most 20,000 \(draft\/add would answer errcode 45002\)/, /markup and inline styles do not count/],
			['content HTML of 1 MB', { content: `<p style="${'color:#333;'.repeat(100)}">x</p>`.repeat(1000) }, /Content is 1,[0-9]{3},[0-9]{3} bytes of HTML; WeChat takes under 1,048,576 bytes \(1 MB\) \(draft\/add would answer errcode 45002\)/, /Make the HTML smaller/],
			['a source URL that is no link', { content_source_url: 'example.com/x' }, /content_source_url\) is not an http\(s\) link/],
			['an article without any cover', { content: '<p>no image</p>', thumb_media_id: '' }, /Article 1 has no cover/, /Cover From Content/],
			['an image URL on a private network', { content: '<img src="IMAGES/image.png">', options: { allowPrivateNetwork: false } }, /it is on a private network: 127\.0\.0\.1 is a loopback/, /Allow Private Network/],
			['localhost', { content: '<img src="http://localhost:9/x.png">', options: { allowPrivateNetwork: false } }, /localhost is a local or cloud-internal name/],
			['cloud metadata', { content: '<img src="http://169.254.169.254/latest/x.png">', options: { allowPrivateNetwork: false } }, /169\.254\.169\.254 is a loopback, private, link-local or cloud-metadata/],
		];

		// Every row gets four entries: jest.each hands a shorter row a done callback instead.
		it.each(refusals.map(([name, fields, message, fix]) => [name, fields, message, fix ?? null] as const))('%s', async (_name, fields, message, fix) => {
			const { options, ...article } = fields;
			const withImages = JSON.parse(JSON.stringify(article).split('IMAGES').join(images.url)) as IDataObject;
			const error = await runNodeError(
				sandbox,
				create([{ title: 'Refused', content: '<p>ok</p>', thumb_media_id: cover, ...withImages }], { options: options as IDataObject }),
			);
			expect(error.message).toMatch(message);
			if (fix) expect(error.description).toMatch(fix);
			expect(sandbox.counts()).toEqual({});
		});

		it('more than 8 articles', async () => {
			const articles = Array.from({ length: 9 }, (_, index) => ({ title: `A${index}`, content: '<p>x</p>', thumb_media_id: cover }));
			const error = await runNodeError(sandbox, create(articles));
			expect(error.message).toBe('A draft holds at most 8 articles; 9 given (draft/add would answer errcode 45008)');
			expect(sandbox.counts()).toEqual({});
		});

		it('an image post with more than 20 pictures', async () => {
			const pictures = Array.from({ length: 21 }, (_, index) => `${images.url}/n/${index}.png`).join('\n');
			const error = await runNodeError(sandbox, create([{ title: 'Pics', content: 'text', article_type: 'newspic', images: pictures }]));
			expect(error.message).toBe('Image post 1 has 21 pictures; WeChat takes 1 to 20');
			expect(sandbox.counts()).toEqual({});
		});

		it('a bad image in the second article stops the whole item before the first article uploads', async () => {
			const error = await runNodeError(
				sandbox,
				create([
					{ title: 'Good', content: `<img src="${images.url}/n/77.png">`, thumb_media_id: cover },
					{ title: 'Bad', content: `<img src="${images.url}/image.svg">`, thumb_media_id: cover },
				]),
			);
			expect(error.message).toMatch(/Image 1 of article 2/);
			for (const path of DRAFT_PATHS) expect(sandbox.count(path)).toBe(0);
		});
	});

	describe('cover', () => {
		it('an explicit Cover Media ID wins over Cover Image', async () => {
			const [item] = await runNode(sandbox, create([{ title: 'Explicit', content: '<p>x</p>', thumb_media_id: cover, coverImage: `${images.url}/image.webp` }]));
			expect(item.json.thumb_media_id).toBe(cover);
			expect(sandbox.count('/cgi-bin/material/add_material')).toBe(0);
		});

		it("takes the content's first image when no cover is given", async () => {
			const [item] = await runNode(sandbox, create([{ title: 'From content', content: `<p>x</p><img src="${images.url}/n/5.png"><img src="${images.url}/n/6.png">` }]));
			expect(sandbox.count('/cgi-bin/material/add_material')).toBe(1);
			const [article] = await draftArticles(sandbox, item.json.media_id as string);
			expect(article.thumb_media_id).toBe(item.json.thumb_media_id);
			const thumb = await fetch(String(article.thumb_url));
			expect(Buffer.from(await thumb.arrayBuffer())).toEqual(makePng(640 + 5, 360));
		});

		it('with Cover From Content off, an article without cover is refused', async () => {
			const error = await runNodeError(sandbox, create([{ title: 'None', content: `<img src="${images.url}/n/5.png">` }], { options: { coverFromContent: false } }));
			expect(error.message).toBe('Article 1 has no cover');
			expect(sandbox.counts()).toEqual({});
		});
	});

	it('makes an image post: pictures as permanent material, plain text', async () => {
		const [item] = await runNode(
			sandbox,
			create([{ title: 'Pictures', content: '**Bold** words', article_type: 'newspic', images: `${images.url}/n/11.png\nbinary:data` }], { contentFormat: 'markdown' }),
			{ binary: [binaryImage(makeJpeg(), 'a.jpg', 'image/jpeg')] },
		);
		expect(sandbox.count('/cgi-bin/material/add_material')).toBe(2);
		expect(sandbox.count('/cgi-bin/media/uploadimg')).toBe(0);
		const [article] = await draftArticles(sandbox, item.json.media_id as string);
		expect(article.article_type).toBe('newspic');
		expect(String(article.content)).toBe('Bold words');
		expect((article.image_info as { image_list: unknown[] }).image_list).toHaveLength(2);
	});

	describe('verifyDraft', () => {
		it('names an image WeChat removed (Re-Host Images off): the draft stays', async () => {
			const [item] = await runNode(
				sandbox,
				create([{ title: 'Not re-hosted', content: `<p>a</p><img src="${images.url}/image.png">`, thumb_media_id: cover }], { options: { rehostImages: false } }),
			);
			expect(item.json.warnings).toEqual([
				expect.stringMatching(/^Article 1: image 1 \(.*image\.png\) is not on WeChat's image hosts and Re-Host Images is off/),
				'Article 1: image 1 has no src in the saved draft (WeChat removed an image it does not host)',
			]);
			expect(sandbox.count('/cgi-bin/draft/add')).toBe(1);
			expect(sandbox.count('/cgi-bin/draft/delete')).toBe(0);
		});

		it('names a WeChat-host image WeChat did not keep', async () => {
			const [item] = await runNode(sandbox, create([{ title: 'mmbiz', content: '<img src="https://mmbiz.qpic.cn/sz_mmbiz_png/abc/0?wx_fmt=png">', thumb_media_id: cover }]));
			expect(sandbox.count('/cgi-bin/media/uploadimg')).toBe(0);
			expect(item.json.warnings).toEqual(['Article 1: WeChat dropped the image https://mmbiz.qpic.cn/sz_mmbiz_png/abc/0?wx_fmt=png', 'Article 1: image 1 has no src in the saved draft (WeChat removed an image it does not host)']);
		});

		it('is skipped when off', async () => {
			await runNode(sandbox, create([{ title: 'No check', content: '<p>x</p>', thumb_media_id: cover }], { options: { verifyDraft: false } }));
			expect(sandbox.count('/cgi-bin/draft/get')).toBe(0);
		});
	});

	it('Draft → Update renders Markdown and re-hosts its images; the cover stays', async () => {
		const [created] = await runNode(sandbox, create([{ title: 'To update', content: '<p>old</p>', thumb_media_id: cover }]));
		const mediaId = created.json.media_id as string;
		const [item] = await runNode(sandbox, {
			resource: 'draft',
			operation: 'update',
			mediaId: { __rl: true, mode: 'id', value: mediaId },
			index: 0,
			contentFormat: 'markdown',
			updateFields: { content: `New *text*\n\n![pic](${images.url}/n/90.png)` },
			options: { allowPrivateNetwork: true },
		});
		expect(item.json).toMatchObject({ success: true, media_id: mediaId, thumb_media_id: cover, warnings: [] });
		const [article] = await draftArticles(sandbox, mediaId);
		expect(String(article.content)).toContain((item.json.images as Array<{ url: string }>)[0].url);
		expect(article.title).toBe('To update');
	});
});
