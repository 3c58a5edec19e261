/** The API client against the sandbox over HTTP: token retry, read retries, writes never resent, failover, redaction, exact IDs. */
import {
	parseJsonExact,
	redact,
	type SendFunction,
	WeChatApiError,
	WeChatClient,
	type WeChatClientOptions,
} from '../../nodes/wechat/api';
import { TokenCache } from '../../nodes/wechat/token';
import { createWeChatClient } from '../../nodes/wechat/tokenSources';
import { sendThroughN8n } from '../../nodes/WeChatOfficialAccount/transport';
import { createHttpRequest, type SentRequest } from '../helpers/httpRequest';
import { apiFailure, closedPort, ONE_PIXEL_PNG } from '../helpers/wechatApi';
import { WeChatSandbox } from '../sandbox';

let sandbox: WeChatSandbox;
let sleeps: number[];

beforeEach(async () => {
	sandbox = await WeChatSandbox.start({ publish: { delayMs: 60_000 } });
	sleeps = [];
});

afterEach(async () => {
	await sandbox.close();
});

type ClientOverrides = Partial<WeChatClientOptions> & {
	baseUrl?: string;
	authMode?: 'stable' | 'classic';
	sent?: SentRequest[];
};

function client(overrides: ClientOverrides = {}): WeChatClient {
	const { baseUrl = sandbox.url, authMode = 'stable', sent = [], ...options } = overrides;
	return createWeChatClient(
		{ appId: sandbox.config.appId, appSecret: sandbox.config.appSecret, baseUrl, authMode },
		{
			send: sendThroughN8n(createHttpRequest(sent)),
			sleep: async (ms) => void sleeps.push(ms),
			tokenCache: new TokenCache(),
			...options,
		},
	);
}

/** A draft ready to submit: cover uploaded, one article. */
async function createDraft(api: WeChatClient): Promise<string> {
	const cover = await api.upload('/cgi-bin/material/add_material', { data: ONE_PIXEL_PNG, fileName: 'cover.png', mimeType: 'image/png' }, { query: { type: 'image' } });
	const draft = await api.write('/cgi-bin/draft/add', {
		body: { articles: [{ title: '标题 Title', content: '<p>正文</p>', thumb_media_id: cover.media_id }] },
	});
	return draft.media_id as string;
}

const SUBMIT = '/cgi-bin/freepublish/submit';

describe('calls', () => {
	it('uploads, creates a draft, reads it back (UTF-8 intact), with a trailing slash on the Base URL', async () => {
		const sent: SentRequest[] = [];
		const api = client({ baseUrl: `${sandbox.url}//`, sent });
		const mediaId = await createDraft(api);
		const draft = await api.read('POST', '/cgi-bin/draft/get', { body: { media_id: mediaId } });
		expect(draft.news_item).toEqual([expect.objectContaining({ title: '标题 Title', content: '<p>正文</p>' })]);
		expect(sent.every((request) => request.url.startsWith(`${sandbox.url}/cgi-bin/`))).toBe(true);
		expect(sandbox.count('/cgi-bin/draft/get')).toBe(1);
	});

	it('a content image upload returns its url', async () => {
		const result = await client().upload('/cgi-bin/media/uploadimg', { data: ONE_PIXEL_PNG, fileName: 'in "body".png', mimeType: 'image/png' });
		expect(result.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mmbiz\/.+\.png$/);
	});

	it('a submit returns publish_id and msg_data_id as strings', async () => {
		const api = client();
		const result = await api.write(SUBMIT, { body: { media_id: await createDraft(api) } });
		expect(result).toMatchObject({ publish_id: expect.any(String), msg_data_id: expect.any(String) });
	});

	it('an errcode names its meaning and what to do', async () => {
		const error = await apiFailure(client().read('POST', '/cgi-bin/draft/get', { body: { media_id: 'nope' } }));
		expect(error.errcode).toBe(40007);
		expect(error.message).toMatch(/^WeChat error 40007: Invalid media_id \(invalid media_id rid: .+\)\. Check the media_id/);
	});

	it('refuses a Base URL that is not http(s)', () => {
		expect(() => client({ baseUrl: 'ftp://example.com' })).toThrow(/not an http\(s\) URL/);
	});
});

describe('token errcodes', () => {
	it('expired tokens: one refresh, one retry, success', async () => {
		const api = client();
		await api.read('GET', '/cgi-bin/draft/count');
		sandbox.expireTokens();
		await expect(api.read('GET', '/cgi-bin/draft/count')).resolves.toMatchObject({ total_count: 0 });
		expect(sandbox.count('/cgi-bin/stable_token')).toBe(2);
		expect(sandbox.count('/cgi-bin/draft/count')).toBe(3);
	});

	it.each([40001, 40014, 42001, 42007])('errcode %i on a write: refreshed and resent once (WeChat refused it)', async (errcode) => {
		const api = client();
		const mediaId = await createDraft(api);
		sandbox.injectFault(SUBMIT, { errcode });
		await expect(api.write(SUBMIT, { body: { media_id: mediaId } })).resolves.toMatchObject({
			publish_id: expect.any(String),
		});
		expect(sandbox.count(SUBMIT)).toBe(2);
		expect(sandbox.stats.submits).toBe(1);
		expect(sandbox.count('/cgi-bin/stable_token')).toBe(2);
	});

	it('a persistent token errcode fails clearly after exactly one retry', async () => {
		const api = client();
		sandbox.injectFault('/cgi-bin/draft/count', { errcode: 40001 }, 10);
		const error = await apiFailure(api.read('GET', '/cgi-bin/draft/count'));
		expect(error.errcode).toBe(40001);
		expect(error.message).toMatch(/WeChat error 40001: .*check the AppSecret.* WeChat refused a freshly fetched access token too\./);
		expect(sandbox.count('/cgi-bin/draft/count')).toBe(2);
		expect(sandbox.count('/cgi-bin/stable_token')).toBe(2);
	});
});

describe('reads are retried, boundedly', () => {
	it('errcode -1 twice, then success', async () => {
		sandbox.injectFault('/cgi-bin/draft/batchget', { errcode: -1 }, 2);
		const result = await client().read('POST', '/cgi-bin/draft/batchget', { body: { offset: 0, count: 20, no_content: 1 } });
		expect(result).toMatchObject({ total_count: 0, item_count: 0 });
		expect(sandbox.count('/cgi-bin/draft/batchget')).toBe(3);
		expect(sleeps).toEqual([300, 1000]);
	});

	it.each([
		['errcode -1', { errcode: -1 }],
		['HTTP 502', { httpStatus: 502 }],
		['HTTP 503', { httpStatus: 503 }],
		['an HTML page', { html: true as const }],
		['a reset connection', { reset: true as const }],
	])('%s every time: three attempts, then an error', async (_label, fault) => {
		sandbox.injectFault('/cgi-bin/freepublish/batchget', fault, 10);
		const error = await apiFailure(client().read('POST', '/cgi-bin/freepublish/batchget', { body: { offset: 0, count: 1 } }));
		expect(error.outcomeUnknown).toBe(false);
		expect(sandbox.count('/cgi-bin/freepublish/batchget')).toBe(3);
	});

	it('a 4xx is not retried', async () => {
		sandbox.injectFault('/cgi-bin/draft/count', { httpStatus: 404 }, 10);
		const error = await apiFailure(client().read('GET', '/cgi-bin/draft/count'));
		expect(error).toMatchObject({ httpStatus: 404 });
		expect(sandbox.count('/cgi-bin/draft/count')).toBe(1);
	});
});

describe('writes are never resent', () => {
	it.each([
		['errcode -1', { errcode: -1 }, /WeChat error -1: .*outcome is unknown and the request was NOT resent/],
		['HTTP 500', { httpStatus: 500 }, /HTTP 500 .*outcome is unknown and the request was NOT resent/],
		['HTTP 502', { httpStatus: 502 }, /HTTP 502 .*NOT resent/],
		['an HTML page', { html: true as const }, /not JSON \(content type text\/html.*NOT resent/],
		['a reset connection', { reset: true as const }, /connection .* failed during .*ECONNRESET.*NOT resent/],
	])('%s on submit: an error, and the submit reached WeChat exactly once', async (_label, fault, message) => {
		const api = client();
		const mediaId = await createDraft(api);
		sandbox.injectFault(SUBMIT, fault, 10);
		const error = await apiFailure(api.write(SUBMIT, { body: { media_id: mediaId } }));
		expect(error.message).toMatch(message);
		expect(error.outcomeUnknown).toBe(true);
		expect(sandbox.count(SUBMIT)).toBe(1);
		expect(sleeps).toEqual([]);
	});

	it.each([
		['/cgi-bin/draft/add', { httpStatus: 502 }],
		['/cgi-bin/draft/delete', { reset: true as const }],
		['/cgi-bin/freepublish/delete', { errcode: -1 }],
	])('%s with a fault is sent once', async (endpoint, fault) => {
		sandbox.injectFault(endpoint, fault, 10);
		await apiFailure(client().write(endpoint, { body: { media_id: 'x', article_id: 'y' } }));
		expect(sandbox.count(endpoint)).toBe(1);
	});

	it('an upload with a fault is sent once', async () => {
		sandbox.injectFault('/cgi-bin/material/add_material', { reset: true }, 10);
		const error = await apiFailure(
			client().upload('/cgi-bin/material/add_material', { data: ONE_PIXEL_PNG, fileName: 'a.png', mimeType: 'image/png' }, { query: { type: 'image' } }),
		);
		expect(error.outcomeUnknown).toBe(true);
		expect(sandbox.count('/cgi-bin/material/add_material')).toBe(1);
	});
});

describe('host failover', () => {
	it('the default host refusing connections: reads, token and a write go to the fallback host', async () => {
		const primary = `http://127.0.0.1:${await closedPort()}`;
		const sent: SentRequest[] = [];
		const api = client({ baseUrl: primary, defaultHost: primary, fallbackHost: sandbox.url, sent });
		const mediaId = await createDraft(api);
		await api.write(SUBMIT, { body: { media_id: mediaId } });
		expect(sandbox.count('/cgi-bin/stable_token')).toBe(1);
		expect(sandbox.count(SUBMIT)).toBe(1);
		expect(sandbox.stats.submits).toBe(1);
		// Each request tried the primary first, then the fallback.
		const hosts = sent.map((request) => new URL(request.url).origin);
		expect(hosts).toEqual([primary, sandbox.url, primary, sandbox.url, primary, sandbox.url, primary, sandbox.url]);
	});

	it('both hosts refusing: the error names both and says nothing was sent', async () => {
		const primary = `http://127.0.0.1:${await closedPort()}`;
		const fallback = `http://127.0.0.1:${await closedPort()}`;
		const api = client({ baseUrl: primary, defaultHost: primary, fallbackHost: fallback });
		const error = await apiFailure(api.write(SUBMIT, { body: { media_id: 'x' } }));
		expect(error.message).toMatch(/^Could not connect to 127\.0\.0\.1:\d+ \(ECONNREFUSED\) nor to its fallback 127\.0\.0\.1:\d+ \(ECONNREFUSED\) .*nothing was sent/);
	});

	it('the default host written with a trailing slash still fails over', async () => {
		const primary = `http://127.0.0.1:${await closedPort()}`;
		const api = client({ baseUrl: `${primary}/`, defaultHost: primary, fallbackHost: sandbox.url });
		await expect(api.read('GET', '/cgi-bin/draft/count')).resolves.toMatchObject({ total_count: 0 });
	});

	it('a read whose connection is reset on the default host is repeated on the fallback host', async () => {
		const fallback = await WeChatSandbox.start();
		try {
			sandbox.injectFault('/cgi-bin/stable_token', { reset: true });
			const api = createWeChatClient(
				{ appId: sandbox.config.appId, appSecret: sandbox.config.appSecret, baseUrl: sandbox.url },
				{
					send: sendThroughN8n(createHttpRequest()),
					sleep: async () => undefined,
					tokenCache: new TokenCache(),
					defaultHost: sandbox.url,
					fallbackHost: fallback.url,
				},
			);
			await api.fetchToken();
			expect(sandbox.count('/cgi-bin/stable_token')).toBe(1);
			expect(fallback.count('/cgi-bin/stable_token')).toBe(1);
		} finally {
			await fallback.close();
		}
	});

	it('a write whose connection is reset on the default host is not repeated anywhere', async () => {
		const fallback = await WeChatSandbox.start();
		try {
			const api = client({ defaultHost: sandbox.url, fallbackHost: fallback.url });
			const mediaId = await createDraft(api);
			sandbox.injectFault(SUBMIT, { reset: true });
			const error = await apiFailure(api.write(SUBMIT, { body: { media_id: mediaId } }));
			expect(error.outcomeUnknown).toBe(true);
			expect(sandbox.count(SUBMIT)).toBe(1);
			expect(fallback.count(SUBMIT)).toBe(0);
		} finally {
			await fallback.close();
		}
	});

	it('a custom Base URL that refuses connections does not fail over, and says nothing was sent', async () => {
		const custom = `http://127.0.0.1:${await closedPort()}`;
		const api = client({ baseUrl: custom, defaultHost: 'https://api.weixin.qq.com', fallbackHost: sandbox.url });
		const error = await apiFailure(api.write(SUBMIT, { body: { media_id: 'x' } }));
		expect(error.message).toMatch(/Could not connect to 127\.0\.0\.1:\d+ \(ECONNREFUSED\) .*nothing was sent/);
		expect(error.outcomeUnknown).toBe(false);
		expect(sandbox.count('/cgi-bin/stable_token')).toBe(0);
	});
});

describe('redaction', () => {
	function leaks(error: WeChatApiError, secrets: string[]): string[] {
		const text = [error.message, error.description, error.stack, JSON.stringify(error), String(error)].join('\n');
		return secrets.filter((secret) => text.includes(secret));
	}

	it('errors that carry the URL with access_token and the body with the AppSecret are scrubbed', async () => {
		const seen: string[] = [];
		const real = sendThroughN8n(createHttpRequest());
		let failNext = false;
		// n8n's httpRequest fails with the request (URL with ?access_token=, body with the secret) in its message and config.
		const send: SendFunction = async (request) => {
			seen.push(request.url, String(request.body ?? ''));
			if (!failNext) return await real(request);
			throw Object.assign(new Error(`socket hang up: ${request.method} ${request.url} ${String(request.body ?? '')}`), {
				code: 'ECONNRESET',
				config: { url: request.url, data: request.body },
			});
		};
		const api = client({ authMode: 'classic', send });
		const token = await api.accessToken();
		failNext = true;
		const read = await apiFailure(api.read('POST', '/cgi-bin/draft/get', { body: { media_id: 'x' } }));
		const write = await apiFailure(api.write(SUBMIT, { body: { media_id: 'x', note: `secret=${sandbox.config.appSecret}` } }));
		const tokenFetch = await apiFailure(api.fetchToken());
		expect(seen.join(' ')).toContain(token);
		expect(seen.join(' ')).toContain(sandbox.config.appSecret);
		for (const error of [read, write, tokenFetch]) {
			expect(error.description).toContain('ECONNRESET');
			expect(leaks(error, [token, sandbox.config.appSecret])).toEqual([]);
		}
		expect(tokenFetch.description).toContain('secret=***');
	});

	it('an errmsg or an error page that echoes the token is scrubbed', async () => {
		const api = client();
		const token = await api.accessToken();
		sandbox.injectFault('/cgi-bin/draft/count', { errcode: 40164, errmsg: `invalid ip, request access_token=${token}` });
		sandbox.injectFault('/cgi-bin/draft/get', { httpStatus: 400, body: `<p>bad request for /cgi-bin/draft/get?access_token=${token}</p>` });
		const errcodeError = await apiFailure(api.read('GET', '/cgi-bin/draft/count'));
		const pageError = await apiFailure(api.read('POST', '/cgi-bin/draft/get', { body: {} }));
		expect(errcodeError.errmsg).toContain('access_token=***');
		expect(pageError.description).toContain('access_token=***');
		expect(leaks(errcodeError, [token])).toEqual([]);
		expect(leaks(pageError, [token])).toEqual([]);
	});

	it('redact() scrubs given values and token- or secret-shaped fields in URLs and JSON', () => {
		expect(redact('GET /x?access_token=ABC-def_1&b=2')).toBe('GET /x?access_token=***&b=2');
		expect(redact('{"appid":"wx1","secret":"s3cr3t","force_refresh":false}')).toBe('{"appid":"wx1","secret":"***","force_refresh":false}');
		expect(redact('{\\"access_token\\":\\"tok\\"}')).toBe('{\\"access_token\\":\\"***\\"}');
		expect(redact('the value verysecretvalue appears', ['verysecretvalue'])).toBe('the value *** appears');
	});
});

describe('IDs above 2^53 stay exact', () => {
	it('a numeric publish_id and msg_data_id from WeChat come back as exact strings', async () => {
		const api = client();
		const mediaId = await createDraft(api);
		sandbox.injectFault(SUBMIT, {
			httpStatus: 200,
			body: '{"errcode":0,"errmsg":"ok","publish_id":9007199254740993123,"msg_data_id":2247483647000000001}',
		});
		const result = await api.write(SUBMIT, { body: { media_id: mediaId } });
		expect(result).toEqual({ errcode: 0, errmsg: 'ok', publish_id: '9007199254740993123', msg_data_id: '2247483647000000001' });
	});

	it('parseJsonExact: IDs become strings, big integers keep their digits, strings stay untouched', () => {
		const text =
			'{"publish_id":2247503051,"article_detail":{"count":1,"item":[{"idx":1,"article_id":12345678901234567890}]},' +
			'"note":"publish_id\\":9007199254740993 \\\\","big":-90071992547409931,"small":-5,"float":1.5e3,"fail_idx":[1,2],' +
			'"media_id":"abc","total":9007199254740991}';
		expect(parseJsonExact(text)).toEqual({
			publish_id: '2247503051',
			article_detail: { count: 1, item: [{ idx: 1, article_id: '12345678901234567890' }] },
			note: 'publish_id":9007199254740993 \\',
			big: '-90071992547409931',
			small: -5,
			float: 1500,
			fail_idx: [1, 2],
			media_id: 'abc',
			total: 9007199254740991,
		});
	});
});
