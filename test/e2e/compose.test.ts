import { makeJpeg } from '../fixtures/images';
import { ImageServer, WeChatSandbox } from '../sandbox';
import { coverFolder, sandboxCredential } from './harness/examples';
import { N8nInstance, nodeOutputs, type WorkflowJson } from './harness/n8n';
import { manualTriggerNode, workflow } from './harness/workflow-builders';

// Draft → Create from Markdown in a real n8n: a URL image, a data: URI, a binary image read from
// disk and a cover URL go up to WeChat (the sandbox), the draft is published, and the article page
// shows every image from the sandbox's image host. A WebP image, an animated GIF and a 3 MB JPEG
// are converted (the sandbox refuses them as WeChat does); with Convert Images off, a WebP image
// stops the item before any upload. A server trickling bytes is given up at Image Download Timeout.

const CREDENTIAL = { id: 'e2eComposeCred01', name: 'WeChat (sandbox)' };

function node(name: string, type: string, parameters: Record<string, unknown>, x: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
	return { id: name, name, type, typeVersion: 1, position: [x, 0], parameters, ...extra };
}

function wechat(name: string, parameters: Record<string, unknown>, x: number): Record<string, unknown> {
	return node(name, 'CUSTOM.weChatOfficialAccount', parameters, x, { credentials: { weChatOfficialAccountApi: CREDENTIAL } });
}

/** The Markdown people have: front matter that names the article (the Title field is left empty), an alert and math. */
const FRONT_MATTER = '---\ntitle: 从前言取标题：格式转换与公式\nauthor: 编辑部\n---\n\n';
const CALLOUT_AND_MATH = '> [!NOTE]\n> 图片先转换成微信接受的格式。\n\nEuler: $e^{i\\pi} + 1 = 0$\n\n';

function composeWorkflow(id: string, markdown: string, coverImage: string, photoPath: string, options: Record<string, unknown> = {}, title = 'Composed in n8n'): WorkflowJson {
	return workflow({
		id,
		name: `Compose ${id}`,
		active: false,
		nodes: [
			manualTriggerNode(),
			node('Read Photo', 'n8n-nodes-base.readWriteFile', { fileSelector: photoPath, options: { dataPropertyName: 'photo' } }, 200),
			wechat(
				'Create Draft',
				{
					resource: 'draft',
					operation: 'create',
					contentFormat: 'markdown',
					articlesInput: 'fields',
					articles: { article: [{ title, content: markdown, coverImage }] },
					options: { allowPrivateNetwork: true, ...options },
				},
				400,
			),
			wechat(
				'Publish Draft',
				{ resource: 'publish', operation: 'submit', mediaId: { __rl: true, mode: 'id', value: '={{ $json.media_id }}' }, options: { waitForResult: true, pollInterval: 0.5, waitTimeout: 60 } },
				600,
			),
		],
		connections: {
			Start: { main: [[{ node: 'Read Photo', type: 'main', index: 0 }]] },
			'Read Photo': { main: [[{ node: 'Create Draft', type: 'main', index: 0 }]] },
			'Create Draft': { main: [[{ node: 'Publish Draft', type: 'main', index: 0 }]] },
		},
	});
}

describe('Draft → Create from Markdown with images in a real n8n', () => {
	let sandbox: WeChatSandbox;
	let images: ImageServer;
	let n8n: N8nInstance;
	let files: ReturnType<typeof coverFolder>;

	beforeAll(async () => {
		[sandbox, images] = await Promise.all([WeChatSandbox.start({ publish: { status: 0, delayMs: 300 } }), ImageServer.start()]);
		files = coverFolder();
		// The 3 MB JPEG is encoded on first request; made now, not while n8n waits for it.
		await fetch(`${images.url}/large.jpg`).then(async (response) => response.arrayBuffer());
		const inline = `data:image/jpeg;base64,${makeJpeg().toString('base64')}`;
		const markdown = `# Hello\n\n![url](${images.url}/n/7.png)\n\n![inline](${inline})\n\n![disk](binary:photo)\n\nRead [more](https://example.com/more).`;
		n8n = await N8nInstance.start({
			credentials: [sandboxCredential(sandbox, CREDENTIAL)],
			workflows: [
				composeWorkflow('e2eComposeGood01', markdown, `${images.url}/n/3.png`, files.coverPath),
				composeWorkflow('e2eComposeWebp01', `Text\n\n![bad](${images.url}/image.webp)`, `${images.url}/n/3.png`, files.coverPath, { convertImages: false }),
				composeWorkflow(
					'e2eComposeConvert01',
					`${FRONT_MATTER}# Formats\n\n${CALLOUT_AND_MATH}![webp](${images.url}/webp)\n\n![gif](${images.url}/animated.gif)\n\n![photo](${images.url}/large.jpg)`,
					`${images.url}/webp`,
					files.coverPath,
					{ imageTimeout: 60 },
					'',
				),
				composeWorkflow('e2eComposeTrickle01', `![slow](${images.url}/trickle.png?every=1500)`, `${images.url}/n/3.png`, files.coverPath, { imageTimeout: 2 }),
			],
			env: { N8N_RESTRICT_FILE_ACCESS_TO: files.dir },
		});
	});

	afterAll(async () => {
		await n8n?.stop();
		await sandbox?.close();
		await images?.close();
		files?.remove();
	});

	it('re-hosts every image, uploads the cover, publishes, and the article page shows the images from WeChat', async () => {
		const result = await n8n.execute('e2eComposeGood01');
		if (result.exitCode !== 0 || result.run?.status !== 'success') throw new Error(`n8n execute: exit ${result.exitCode}\n${result.output.slice(-3000)}`);
		const [created] = nodeOutputs(result.run.data, 'Create Draft')[0];
		expect(created.warnings).toEqual([]);
		const uploaded = created.images as Array<{ source: string; url: string }>;
		expect(uploaded.map((image) => image.source)).toEqual([`${images.url}/n/7.png`, expect.stringMatching(/^data:image\/jpeg;base64,/), 'binary:photo', `${images.url}/n/3.png`]);
		expect(sandbox.count('/cgi-bin/media/uploadimg')).toBe(3);
		expect(sandbox.count('/cgi-bin/material/add_material')).toBe(1);

		const [published] = nodeOutputs(result.run.data, 'Publish Draft')[0];
		expect(published).toMatchObject({ status: 'published' });
		const articleUrl = (published.article_detail as { item: Array<{ article_url: string }> }).item[0].article_url;
		const page = await (await fetch(articleUrl)).text();
		expect(page).toContain('max-width:375px');
		const sources = [...page.matchAll(/<img\b[^>]*\ssrc="([^"]*)"/g)].map((match) => match[1]);
		expect(sources).toEqual(uploaded.slice(0, 3).map((image) => image.url));
		for (const src of sources) {
			expect(src.startsWith(`${sandbox.url}/mmbiz/`)).toBe(true);
			const served = await fetch(src);
			expect(served.status).toBe(200);
			expect(served.headers.get('content-type')).toMatch(/^image\/(png|jpeg)$/);
		}
	});

	it('turns front matter, an alert, math, a WebP, an animated GIF and a 3 MB JPEG into a draft: every image on the WeChat host, nothing dropped', async () => {
		sandbox.resetCounts();
		const result = await n8n.execute('e2eComposeConvert01');
		if (result.exitCode !== 0 || result.run?.status !== 'success') throw new Error(`n8n execute: exit ${result.exitCode}\n${result.output.slice(-3000)}`);
		const [created] = nodeOutputs(result.run.data, 'Create Draft')[0];
		// Only the conversions are named: Verify Draft found every image in the draft WeChat kept.
		expect(created.warnings).toEqual([
			expect.stringMatching(/^Image 1 of article 1 \(.*\/webp\) was made acceptable to WeChat: WebP converted to JPEG: /),
			expect.stringMatching(/^Image 2 of article 1 \(.*\/animated\.gif\) was made acceptable to WeChat: animated GIF \(2 frames; its first frame kept\) converted to PNG: /),
			expect.stringMatching(/^Image 3 of article 1 \(.*\/large\.jpg\) was made acceptable to WeChat: JPEG re-encoded, scaled from /),
			expect.stringMatching(/^The cover image of article 1 \(.*\/webp\) was made acceptable to WeChat: WebP converted to JPEG: /),
		]);
		expect(created.filledFrom).toEqual([expect.objectContaining({ fields: expect.objectContaining({ title: 'frontMatter', author: 'frontMatter' }) })]);
		const uploaded = created.images as Array<{ source: string; url: string }>;
		expect(uploaded).toHaveLength(4);
		for (const image of uploaded) expect(image.url.startsWith(`${sandbox.url}/mmbiz/`)).toBe(true);
		expect(sandbox.count('/cgi-bin/media/uploadimg')).toBe(3);
		expect(sandbox.count('/cgi-bin/material/add_material')).toBe(1);
		const [published] = nodeOutputs(result.run.data, 'Publish Draft')[0];
		const articleUrl = (published.article_detail as { item: Array<{ article_url: string }> }).item[0].article_url;
		const page = await (await fetch(articleUrl)).text();
		const sources = [...page.matchAll(/<img\b[^>]*\ssrc="([^"]*)"/g)].map((match) => match[1]);
		expect(sources).toEqual(uploaded.slice(0, 3).map((image) => image.url));
		// The front matter named the article and is not in its text; the alert and the formula survived draft/add.
		expect(page).toContain('从前言取标题：格式转换与公式');
		expect(page).not.toMatch(/title:|\[!NOTE\]|\$e\^/);
		expect(page).toContain('图片先转换成微信接受的格式。');
		expect(page).toMatch(/<svg\b[^>]*>[\s\S]*<\/svg>/);
		for (const src of sources) {
			const served = await fetch(src);
			expect(served.headers.get('content-type')).toMatch(/^image\/(png|jpeg)$/);
			expect((await served.arrayBuffer()).byteLength).toBeLessThan(1024 * 1024);
		}
	});

	it('gives up on a server sending a byte every 1.5 s at the 2 s Image Download Timeout', async () => {
		sandbox.resetCounts();
		const result = await n8n.execute('e2eComposeTrickle01');
		expect(result.run?.status).not.toBe('success');
		expect(result.output).toContain(`Image 1 of article 1 (${images.url}/trickle.png?every=1500) cannot be used: the download did not finish within 2 s`);
		for (const path of ['/cgi-bin/media/uploadimg', '/cgi-bin/material/add_material', '/cgi-bin/draft/add']) expect(sandbox.count(path)).toBe(0);
	});

	it('with Convert Images off, stops the item on a WebP image, naming it, and uploads nothing', async () => {
		sandbox.resetCounts();
		const result = await n8n.execute('e2eComposeWebp01');
		expect(result.run?.status).not.toBe('success');
		expect(result.output).toContain(`Image 1 of article 1 (${images.url}/image.webp) cannot be used: it is WebP; WeChat takes only JPEG or PNG here`);
		expect(sandbox.count('/cgi-bin/draft/add')).toBe(0);
		expect(sandbox.count('/cgi-bin/media/uploadimg')).toBe(0);
		expect(sandbox.count('/cgi-bin/material/add_material')).toBe(0);
	});
});
