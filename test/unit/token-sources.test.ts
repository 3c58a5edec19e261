/**
 * The token sources side by side against the sandbox over HTTP: stable_token, the classic token
 * and a token service behave alike under concurrency, expiry and token errcodes; the service's
 * secrets never reach a message.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { WeChatApiError, type WeChatClient } from '../../nodes/wechat/api';
import { TokenCache } from '../../nodes/wechat/token';
import { createWeChatClient, SERVICE_DEFAULT_EXPIRES_IN_SECONDS, type WeChatCredential } from '../../nodes/wechat/tokenSources';
import { sendThroughN8n } from '../../nodes/WeChatOfficialAccount/transport';
import { createHttpRequest, type SentRequest } from '../helpers/httpRequest';
import { SandboxTokenService, TOKEN_SERVICE_HEADER, TOKEN_SERVICE_SECRET, WeChatSandbox } from '../sandbox';

let sandbox: WeChatSandbox;
let service: SandboxTokenService;

beforeEach(async () => {
	sandbox = await WeChatSandbox.start();
	service = await SandboxTokenService.forSandbox(sandbox);
});

afterEach(async () => {
	await service.close();
	await sandbox.close();
});

function manualClock(start = 1_700_000_000_000) {
	let now = start;
	return { now: () => now, advanceSeconds: (seconds: number) => void (now += seconds * 1000) };
}

type Mode = 'stable' | 'classic' | 'tokenService';

function credential(mode: Mode): WeChatCredential {
	const account = { appId: sandbox.config.appId, baseUrl: sandbox.url };
	if (mode !== 'tokenService') return { ...account, appSecret: sandbox.config.appSecret, authMode: mode };
	return {
		...account,
		authMode: 'tokenService',
		serviceUrl: service.tokenUrl,
		serviceHeaderName: TOKEN_SERVICE_HEADER,
		serviceHeaderValue: TOKEN_SERVICE_SECRET,
		serviceResponseField: 'authorizer_access_token',
	};
}

function client(mode: Mode, options: { tokenCache?: TokenCache; sent?: SentRequest[]; data?: Partial<WeChatCredential> } = {}): WeChatClient {
	return createWeChatClient(
		{ ...credential(mode), ...options.data },
		{ send: sendThroughN8n(createHttpRequest(options.sent)), sleep: async () => undefined, tokenCache: options.tokenCache ?? new TokenCache() },
	);
}

/** How many tokens each source was asked for. */
function tokenFetches(mode: Mode): number {
	if (mode === 'stable') return sandbox.count('/cgi-bin/stable_token');
	if (mode === 'classic') return sandbox.count('/cgi-bin/token');
	return service.stats.requests;
}

describe.each(['stable', 'classic', 'tokenService'] as const)('%s source', (mode) => {
	it('50 concurrent calls share one token fetch', async () => {
		const api = client(mode);
		const results = await Promise.all(Array.from({ length: 50 }, async () => await api.read('GET', '/cgi-bin/draft/count')));
		expect(results.every((result) => result.total_count === 0)).toBe(true);
		expect(tokenFetches(mode)).toBe(1);
	});

	it('refreshes early, once for any number of callers', async () => {
		const clock = manualClock();
		const api = client(mode, { tokenCache: new TokenCache({ now: clock.now }) });
		await api.accessToken();
		// stable and classic refresh 300 s before expires_in, a service 60 s before.
		clock.advanceSeconds(7200 - 300);
		await Promise.all(Array.from({ length: 20 }, async () => await api.accessToken()));
		expect(tokenFetches(mode)).toBe(mode === 'tokenService' ? 1 : 2);
		clock.advanceSeconds(300 - 60);
		await Promise.all(Array.from({ length: 20 }, async () => await api.accessToken()));
		expect(tokenFetches(mode)).toBe(2);
	});

	it('a token expired mid-batch: one refresh for all callers, every call done once', async () => {
		const api = client(mode);
		await api.accessToken();
		sandbox.expireTokens();
		const results = await Promise.all(Array.from({ length: 10 }, async () => await api.read('GET', '/cgi-bin/draft/count')));
		expect(results.every((result) => result.total_count === 0)).toBe(true);
		expect(tokenFetches(mode)).toBe(2);
		expect(sandbox.count('/cgi-bin/draft/count')).toBe(20);
	});

	it('refreshes once and retries once, never loops, when the fresh token is refused too', async () => {
		const api = client(mode);
		sandbox.injectFault('/cgi-bin/draft/count', { errcode: 40014 }, 5);
		const failure = await api.read('GET', '/cgi-bin/draft/count').then(
			() => undefined,
			(error: unknown) => error,
		);
		expect(failure).toBeInstanceOf(WeChatApiError);
		expect((failure as Error).message).toMatch(/40014.*refused a freshly fetched access token too/);
		expect(sandbox.count('/cgi-bin/draft/count')).toBe(2);
		expect(tokenFetches(mode)).toBe(2);
	});
});

describe('token service source', () => {
	it('asks with appid, and with force_refresh=1 only after WeChat refused the token', async () => {
		const sent: SentRequest[] = [];
		const api = client('tokenService', { sent });
		await api.read('GET', '/cgi-bin/draft/count');
		sandbox.expireTokens();
		await api.read('GET', '/cgi-bin/draft/count');
		const asked = sent.filter((request) => request.url.startsWith(service.tokenUrl)).map((request) => new URL(request.url).search);
		expect(asked).toEqual([`?appid=${sandbox.config.appId}`, `?appid=${sandbox.config.appId}&force_refresh=1`]);
		expect(service.stats.forcedRefreshes).toBe(1);
	});

	it(`uses a token without expires_in for ${SERVICE_DEFAULT_EXPIRES_IN_SECONDS} s (asking again 60 s before)`, async () => {
		await service.close();
		service = await SandboxTokenService.forSandbox(sandbox, { omitExpiresIn: true });
		const clock = manualClock();
		const api = client('tokenService', { tokenCache: new TokenCache({ now: clock.now }) });
		await api.accessToken();
		clock.advanceSeconds(SERVICE_DEFAULT_EXPIRES_IN_SECONDS - 61);
		await api.accessToken();
		expect(service.stats.requests).toBe(1);
		clock.advanceSeconds(1);
		await api.accessToken();
		expect(service.stats.requests).toBe(2);
	});

	it('needs no AppSecret, and shares no cache entry with another header secret', async () => {
		const tokenCache = new TokenCache();
		await client('tokenService', { tokenCache }).accessToken();
		const wrong = client('tokenService', { tokenCache, data: { serviceHeaderValue: 'another-service-key-0123456789' } });
		await expect(wrong.accessToken()).rejects.toThrow(/token service answered HTTP 401/);
		expect(sandbox.count('/cgi-bin/stable_token') + sandbox.count('/cgi-bin/token')).toBe(0);
	});

	it('keeps the service URL, the header value and every token out of every message', async () => {
		const headerValue = 'echoed-header-secret-0123456789';
		const leakedToken = 'a-token-the-service-leaks-0123456789';
		const echo = createServer((req, res) => {
			res.writeHead(500, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify({ error: `bad ${String(req.headers['x-key'])} at ${req.url}`, authorizer_access_token: leakedToken, access_token: leakedToken }));
		});
		await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
		try {
			const serviceUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}/token/query-secret-0123456789?key=url-secret-0123456789`;
			const api = client('tokenService', {
				data: { serviceUrl, serviceHeaderName: 'X-Key', serviceHeaderValue: headerValue, serviceResponseField: 'authorizer_access_token' },
			});
			const failure = (await api.read('GET', '/cgi-bin/draft/count').then(
				() => new Error('no failure'),
				(error: Error) => error,
			)) as WeChatApiError;
			const shown = `${failure.message} ${JSON.stringify(failure)} ${failure.stack}`;
			expect(failure.message).toMatch(/^The token service answered HTTP 500: ".*". Nothing was sent to WeChat\.$/);
			for (const secret of [headerValue, leakedToken, 'url-secret-0123456789', 'query-secret-0123456789', serviceUrl]) {
				expect(shown).not.toContain(secret);
			}
			expect(sandbox.counts()).toEqual({});
		} finally {
			echo.closeAllConnections();
			await new Promise((resolve) => echo.close(resolve));
		}
	});

	it('scrubs a secret the quoted answer would cut in half (redacted first, then cut)', async () => {
		const headerValue = 'straddling-header-secret-0123456789';
		const echo = createServer((req, res) => {
			// The header value starts 5 characters before the 300th: a cut first would keep 'strad'+more.
			res.writeHead(502, { 'Content-Type': 'text/plain' });
			res.end(`${'x'.repeat(290)}${String(req.headers['x-key'])} and more after it`);
		});
		await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
		try {
			const serviceUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}/token`;
			const api = client('tokenService', { data: { serviceUrl, serviceHeaderName: 'X-Key', serviceHeaderValue: headerValue } });
			const failure = (await api.accessToken().then(
				() => new Error('no failure'),
				(error: Error) => error,
			)) as WeChatApiError;
			expect(failure.message).toMatch(/^The token service answered HTTP 502: "x{290}\*\*\* and mo…"/);
			expect(failure.message).not.toContain(headerValue.slice(0, 8));
		} finally {
			echo.closeAllConnections();
			await new Promise((resolve) => echo.close(resolve));
		}
	});

	it.each([
		[{ serviceUrl: 'ftp://tokens.example.com/' }, /Service URL of the credential is not an http\(s\) URL/],
		[{ serviceUrl: '' }, /no Service URL/],
		[{ serviceHeaderName: 'Bad Header:' }, /not a valid HTTP header name/],
	])('refuses a bad setting %j before sending anything', (data, message) => {
		expect(() => client('tokenService', { data })).toThrow(message);
	});
});
