import { findLimitViolation } from '../../nodes/wechat/articleLimits';
import { classifyImageSource, privateNetworkReason } from '../../nodes/wechat/imageSources';
import { keptContent } from '../sandbox/state';

describe('image sources', () => {
	it('tells WeChat-hosted, downloadable, inline and binary sources apart', () => {
		expect(classifyImageSource('https://mmbiz.qpic.cn/sz_mmbiz_png/x/0?wx_fmt=png').kind).toBe('wechat');
		expect(classifyImageSource('http://127.0.0.1:9000/mmbiz/a.png', ['127.0.0.1:9000']).kind).toBe('wechat');
		expect(classifyImageSource('http://127.0.0.1:9001/mmbiz/a.png', ['127.0.0.1:9000']).kind).toBe('url');
		expect(classifyImageSource('//example.com/a.png')).toMatchObject({ kind: 'url', url: new URL('https://example.com/a.png') });
		expect(classifyImageSource('data:image/png;base64,iVBORw0KGgo=')).toMatchObject({ kind: 'data', mimeType: 'image/png' });
		expect(classifyImageSource('binary:photo')).toEqual({ kind: 'binary', src: 'binary:photo', property: 'photo' });
		expect(classifyImageSource('binary:')).toMatchObject({ kind: 'invalid' });
		expect(classifyImageSource('images/a.png')).toMatchObject({ kind: 'invalid', reason: expect.stringMatching(/not a full http\(s\) URL/) });
		expect(classifyImageSource('ftp://example.com/a.png')).toMatchObject({ kind: 'invalid', reason: 'ftp: URLs cannot be downloaded' });
	});

	it.each([
		'http://127.0.0.1/a.png',
		'http://2130706433/a.png', // 127.0.0.1 in decimal
		'http://0x7f.1/a.png',
		'http://10.1.2.3/a.png',
		'http://172.20.0.1/a.png',
		'http://192.168.1.1/a.png',
		'http://169.254.169.254/latest/meta-data',
		'http://100.100.100.200/latest/meta-data',
		'http://0.0.0.0/a.png',
		'http://[::1]/a.png',
		'http://[::ffff:127.0.0.1]/a.png',
		'http://[fe80::1]/a.png',
		'http://[fd00:ec2::254]/a.png',
		'http://[64:ff9b::127.0.0.1]/a.png', // NAT64 of loopback
		'http://[64:ff9b::a9fe:a9fe]/a.png', // NAT64 of 169.254.169.254
		'http://[64:ff9b::10.0.0.5]/a.png',
		'http://[64:ff9b:1::a00:5]/a.png', // local-use NAT64 prefix
		'http://localhost:8080/a.png',
		'http://images.localhost/a.png',
		'http://metadata.google.internal/computeMetadata/v1/',
	])('refuses %s without DNS', (url) => {
		expect(privateNetworkReason(new URL(url))).toEqual(expect.any(String));
	});

	it.each(['https://example.com/a.png', 'http://8.8.8.8/a.png', 'http://[2001:db8::1]/a.png', 'http://172.32.0.1/a.png', 'http://[64:ff9b::8.8.8.8]/a.png'])('lets %s through', (url) => {
		expect(privateNetworkReason(new URL(url))).toBeUndefined();
	});
});

describe('article limits', () => {
	it('counts characters as code points, the way WeChat counts a CJK character as one', () => {
		expect(findLimitViolation({ title: '标'.repeat(64) }, 1)).toBeUndefined();
		expect(findLimitViolation({ title: '😀'.repeat(65) }, 2)).toEqual({
			message: 'Article 2: Title has 65 characters; WeChat allows at most 64 (draft/add would answer errcode 45003)',
			errcode: 45003,
			fix: 'Shorten the title',
		});
		expect(findLimitViolation({ content: '字'.repeat(20_000) }, 1)).toBeUndefined();
		expect(findLimitViolation({ content: '字'.repeat(20_001) }, 1)?.errcode).toBe(45002);
		expect(findLimitViolation({ content_source_url: 'https://example.com/' + 'a'.repeat(1100) }, 1)?.errcode).toBe(45005);
	});
});

describe('content limit: text against 20,000 characters, HTML against 1 MB', () => {
	const styled = (text: string) => `<p style="${'color:#333333;'.repeat(20)}">${text}</p>`;

	it('counts the visible text, not the markup', () => {
		const html = Array.from({ length: 200 }, () => styled('字'.repeat(100))).join('');
		expect(html.length).toBeGreaterThan(70_000);
		expect(findLimitViolation({ content: html }, 1)).toBeUndefined();
		expect(findLimitViolation({ content: html + styled('x') }, 3)).toEqual({
			message: 'Article 3: Content has 20,001 characters of text; WeChat allows at most 20,000 (draft/add would answer errcode 45002)',
			errcode: 45002,
			fix: expect.stringContaining('markup and inline styles do not count'),
		});
	});

	it('counts entities as the character they stand for', () => {
		expect(findLimitViolation({ content: `<p>${'&amp;'.repeat(20_000)}</p>` }, 1)).toBeUndefined();
		expect(findLimitViolation({ content: `<p>${'&amp;'.repeat(20_001)}</p>` }, 1)?.errcode).toBe(45002);
	});

	it('refuses HTML of 1 MB or more, naming the bytes', () => {
		const html = Array.from({ length: 4000 }, () => styled('x')).join('');
		const bytes = Buffer.byteLength(html);
		expect(bytes).toBeGreaterThanOrEqual(1024 * 1024);
		expect(findLimitViolation({ content: html }, 1)).toEqual({
			message: `Article 1: Content is ${bytes.toLocaleString('en-US')} bytes of HTML; WeChat takes under 1,048,576 bytes (1 MB) (draft/add would answer errcode 45002)`,
			errcode: 45002,
			fix: expect.stringContaining('Make the HTML smaller'),
		});
	});
});

describe('sandbox: what draft/add keeps', () => {
	it('drops script and style, blanks image src not on its host', () => {
		const html = '<p>a</p><script>alert(1)</script><style>p{}</style><img src="http://127.0.0.1:1/mmbiz/a.png"><img alt="x" src=\'https://example.com/b.png\'>';
		expect(keptContent(html, 'http://127.0.0.1:1')).toBe('<p>a</p><img src="http://127.0.0.1:1/mmbiz/a.png"><img alt="x" src="">');
	});
});

describe("host names n8n's egress filter blocks", () => {
	it('refuses a name that resolves to a blocked address before any request, and passes allowed ones on', async () => {
		const { downloadImage } = await import('../../nodes/WeChatOfficialAccount/actions/draft/imageFetch');
		const requested: string[] = [];
		const functions = {
			helpers: {
				getSecureEgressFilter: (policy: string) => ({
					validateUrl: async (url: URL) => {
						expect(policy).toBe('enforced');
						return url.hostname === 'intranet.example' ? { ok: false, error: new Error('IP 10.0.0.5 is blocked') } : { ok: true };
					},
				}),
				httpRequest: async (options: { url: string }) => {
					requested.push(options.url);
					return { statusCode: 404, headers: {}, body: Buffer.alloc(0) };
				},
			},
		} as unknown as import('n8n-workflow').IExecuteFunctions;
		const limits = { maxBytes: 1024, timeoutMs: 1000, maxRedirects: 5, allowPrivateNetwork: false };
		await expect(downloadImage.call(functions, new URL('https://intranet.example/a.png'), limits)).rejects.toThrow(
			"it is on a private network: intranet.example resolves to an address n8n's network policy blocks (IP 10.0.0.5 is blocked)",
		);
		expect(requested).toEqual([]);
		await expect(downloadImage.call(functions, new URL('https://public.example/a.png'), limits)).rejects.toThrow('its server answered HTTP 404');
		expect(requested).toEqual(['https://public.example/a.png']);
	});
});
