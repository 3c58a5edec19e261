/** The token cache against the sandbox over HTTP: single flight, early refresh, refresh once after a token error. */
import { WeChatApiError, type WeChatClient, type WeChatClientOptions } from '../../nodes/wechat/api';
import { TokenCache, type TokenFetchOptions, type TokenGrant, type TokenSource } from '../../nodes/wechat/token';
import { createWeChatClient } from '../../nodes/wechat/tokenSources';
import { sendThroughN8n } from '../../nodes/WeChatOfficialAccount/transport';
import { createHttpRequest, type SentRequest } from '../helpers/httpRequest';
import { WeChatSandbox } from '../sandbox';

let sandbox: WeChatSandbox;

beforeEach(async () => {
	sandbox = await WeChatSandbox.start();
});

afterEach(async () => {
	await sandbox.close();
});

/** A manual clock in milliseconds. */
function manualClock(start = 1_700_000_000_000) {
	let now = start;
	return {
		now: () => now,
		advanceSeconds: (seconds: number) => {
			now += seconds * 1000;
		},
	};
}

function client(
	options: Partial<WeChatClientOptions> & { authMode?: 'stable' | 'classic'; appSecret?: string } = {},
	sent: SentRequest[] = [],
): WeChatClient {
	return createWeChatClient(
		{
			appId: sandbox.config.appId,
			appSecret: options.appSecret ?? sandbox.config.appSecret,
			baseUrl: sandbox.url,
			authMode: options.authMode ?? 'stable',
		},
		{
			send: sendThroughN8n(createHttpRequest(sent)),
			sleep: async () => undefined,
			tokenCache: new TokenCache(),
			...options,
		},
	);
}

/** A source with stable_token's limits, for tests of the cache alone (its fetch is passed to `get`). */
const STABLE_LIKE: TokenSource = {
	mode: 'test',
	cacheKey: 'key',
	secrets: [],
	refreshMarginSeconds: 300,
	forcedRefreshLimit: { perDay: 20, minIntervalSeconds: 30 },
	fetch: async () => await Promise.reject(new Error('the tests pass their own fetch')),
};

/** The force_refresh flag of each stable_token request sent. */
function forceRefreshFlags(sent: SentRequest[]): boolean[] {
	return sent
		.filter((request) => request.url.includes('/cgi-bin/stable_token'))
		.map((request) => JSON.parse(request.body!.toString()).force_refresh as boolean);
}

describe('single flight', () => {
	it.each(['stable', 'classic'] as const)('50 concurrent callers cause exactly one %s token request', async (authMode) => {
		const api = client({ authMode });
		const tokens = await Promise.all(Array.from({ length: 50 }, async () => await api.accessToken()));
		const path = authMode === 'stable' ? '/cgi-bin/stable_token' : '/cgi-bin/token';
		expect(sandbox.count(path)).toBe(1);
		expect(new Set(tokens).size).toBe(1);
		// The token works.
		await expect(api.read('GET', '/cgi-bin/draft/count')).resolves.toMatchObject({ total_count: 0 });
		expect(sandbox.count(path)).toBe(1);
	});

	it('50 concurrent calls through separate clients sharing a cache fetch one token', async () => {
		const tokenCache = new TokenCache();
		const results = await Promise.all(
			Array.from({ length: 50 }, async () => await client({ tokenCache }).read('GET', '/cgi-bin/draft/count')),
		);
		expect(results).toHaveLength(50);
		expect(sandbox.count('/cgi-bin/stable_token')).toBe(1);
		expect(sandbox.count('/cgi-bin/draft/count')).toBe(50);
	});

	it('keys the cache by host, mode and secret: another AppSecret never gets the cached token', async () => {
		const tokenCache = new TokenCache();
		await client({ tokenCache }).accessToken();
		const wrongSecret = client({ tokenCache, appSecret: 'not-the-app-secret-of-this-account' });
		await expect(wrongSecret.accessToken()).rejects.toMatchObject({ errcode: 40125 });
		await client({ tokenCache, authMode: 'classic' }).accessToken();
		expect(sandbox.count('/cgi-bin/stable_token')).toBe(2);
		expect(sandbox.count('/cgi-bin/token')).toBe(1);
	});

	it('a failed fetch is shared by its waiters and not cached', async () => {
		sandbox.injectFault('/cgi-bin/stable_token', { errcode: 45009 });
		const api = client();
		const outcomes = await Promise.allSettled(Array.from({ length: 10 }, async () => await api.accessToken()));
		expect(outcomes.every((outcome) => outcome.status === 'rejected')).toBe(true);
		expect(sandbox.count('/cgi-bin/stable_token')).toBe(1);
		await expect(api.accessToken()).resolves.toEqual(expect.any(String));
		expect(sandbox.count('/cgi-bin/stable_token')).toBe(2);
	});
});

describe('expiry', () => {
	it('refreshes exactly once, 300 s before expires_in, for any number of callers', async () => {
		const clock = manualClock();
		const api = client({ tokenCache: new TokenCache({ now: clock.now }) });
		await api.accessToken();
		clock.advanceSeconds(7200 - 300 - 1);
		await Promise.all(Array.from({ length: 20 }, async () => await api.accessToken()));
		expect(sandbox.count('/cgi-bin/stable_token')).toBe(1);
		clock.advanceSeconds(1);
		await Promise.all(Array.from({ length: 20 }, async () => await api.accessToken()));
		expect(sandbox.count('/cgi-bin/stable_token')).toBe(2);
	});

	it('never uses a token past a short expires_in: the margin shrinks to half its lifetime', async () => {
		sandbox.configure({ tokenLifetimeSeconds: 10 });
		const clock = manualClock();
		const api = client({ authMode: 'classic', tokenCache: new TokenCache({ now: clock.now }) });
		const first = await api.accessToken();
		clock.advanceSeconds(4.9);
		expect(await api.accessToken()).toBe(first);
		clock.advanceSeconds(0.1);
		expect(await api.accessToken()).not.toBe(first);
		expect(sandbox.count('/cgi-bin/token')).toBe(2);
	});

	it('keeps the current token when an early refresh fails, while it is still valid', async () => {
		const clock = manualClock();
		const api = client({ tokenCache: new TokenCache({ now: clock.now }) });
		const token = await api.accessToken();
		clock.advanceSeconds(7200 - 100);
		sandbox.injectFault('/cgi-bin/stable_token', { errcode: 45009 });
		expect(await api.accessToken()).toBe(token);
		clock.advanceSeconds(100);
		sandbox.injectFault('/cgi-bin/stable_token', { errcode: 45009 });
		await expect(api.accessToken()).rejects.toMatchObject({ errcode: 45009 });
	});
});

describe('invalidate after a token errcode', () => {
	it('callers failing on the same stale token cause one refresh, then all succeed', async () => {
		const api = client();
		await api.accessToken();
		sandbox.expireTokens();
		const results = await Promise.all(Array.from({ length: 10 }, async () => await api.read('GET', '/cgi-bin/draft/count')));
		expect(results.every((result) => result.total_count === 0)).toBe(true);
		expect(sandbox.count('/cgi-bin/stable_token')).toBe(2);
		expect(sandbox.count('/cgi-bin/draft/count')).toBe(20);
	});

	it('forces a stable refresh at most once per 30 s, else fetches plainly', async () => {
		const clock = manualClock();
		const sent: SentRequest[] = [];
		const api = client({ tokenCache: new TokenCache({ now: clock.now }) }, sent);
		sandbox.configure({ stableForceRefresh: { intervalSeconds: 0 } });

		sandbox.injectFault('/cgi-bin/draft/count', { errcode: 40001 });
		await api.read('GET', '/cgi-bin/draft/count');
		clock.advanceSeconds(29);
		sandbox.injectFault('/cgi-bin/draft/count', { errcode: 40001 });
		await api.read('GET', '/cgi-bin/draft/count');
		clock.advanceSeconds(1);
		sandbox.injectFault('/cgi-bin/draft/count', { errcode: 42001 });
		await api.read('GET', '/cgi-bin/draft/count');

		expect(forceRefreshFlags(sent)).toEqual([false, true, false, true]);
	});

	it('a token no longer cached is not invalidated twice', async () => {
		const cache = new TokenCache();
		const grants = ['token-one', 'token-two', 'token-three'];
		const requests: boolean[] = [];
		const fetchToken = async ({ forceRefresh }: TokenFetchOptions): Promise<TokenGrant> => {
			requests.push(forceRefresh);
			return { accessToken: grants[requests.length - 1], expiresInSeconds: 7200 };
		};
		const stale = await cache.get('key', STABLE_LIKE, fetchToken);
		cache.invalidate('key', stale);
		const fresh = await cache.get('key', STABLE_LIKE, fetchToken);
		cache.invalidate('key', stale);
		expect(await cache.get('key', STABLE_LIKE, fetchToken)).toBe(fresh);
		expect(requests).toEqual([false, true]);
	});

	it('a stable_token that returns the refused token again keeps asking for a forced refresh', async () => {
		const clock = manualClock();
		const cache = new TokenCache({ now: clock.now });
		const requests: boolean[] = [];
		const fetchToken = async ({ forceRefresh }: TokenFetchOptions): Promise<TokenGrant> => {
			requests.push(forceRefresh);
			return { accessToken: forceRefresh && requests.length > 2 ? 'new' : 'same', expiresInSeconds: 7200 };
		};
		cache.invalidate('key', await cache.get('key', STABLE_LIKE, fetchToken));
		// Forced, but WeChat answered the same token: refused again.
		cache.invalidate('key', await cache.get('key', STABLE_LIKE, fetchToken));
		clock.advanceSeconds(10);
		// Within 30 s of the last forced refresh: a plain fetch.
		cache.invalidate('key', await cache.get('key', STABLE_LIKE, fetchToken));
		clock.advanceSeconds(20);
		expect(await cache.get('key', STABLE_LIKE, fetchToken)).toBe('new');
		expect(requests).toEqual([false, true, false, true]);
	});
});

describe('token endpoint errors', () => {
	it.each([
		[40013, { appId: 'wx_not_this_account' }, /Invalid AppID/],
		[40125, { appSecret: 'a-wrong-app-secret-value' }, /Invalid AppSecret/],
	])('errcode %i is explained, without the secret', async (errcode, override, meaning) => {
		const api = createWeChatClient(
			{ appId: sandbox.config.appId, appSecret: sandbox.config.appSecret, baseUrl: sandbox.url, ...override },
			{ send: sendThroughN8n(createHttpRequest()), sleep: async () => undefined, tokenCache: new TokenCache() },
		);
		const error = await api.accessToken().then(
			() => undefined,
			(failure: unknown) => failure,
		);
		expect(error).toBeInstanceOf(WeChatApiError);
		expect(error).toMatchObject({ errcode });
		expect((error as Error).message).toMatch(meaning);
		expect(JSON.stringify(error) + (error as Error).stack).not.toContain(sandbox.config.appSecret);
		expect((error as Error).message).not.toContain('a-wrong-app-secret-value');
	});

	it('retries a plain token fetch on errcode -1 but never repeats a forced refresh', async () => {
		const sleeps: number[] = [];
		const api = client({ sleep: async (ms) => void sleeps.push(ms) });
		sandbox.injectFault('/cgi-bin/stable_token', { errcode: -1 }, 2);
		await api.fetchToken();
		expect(sandbox.count('/cgi-bin/stable_token')).toBe(3);
		expect(sleeps).toEqual([300, 1000]);

		sandbox.injectFault('/cgi-bin/stable_token', { errcode: -1 });
		await expect(api.fetchToken({ forceRefresh: true })).rejects.toMatchObject({ errcode: -1 });
		expect(sandbox.count('/cgi-bin/stable_token')).toBe(4);
	});
});

describe('a failed early refresh', () => {
	it('keeps the still-valid token and backs off: 5 calls while stable_token answers -1 cost one token request, no waits', async () => {
		const clock = manualClock();
		const sleeps: number[] = [];
		const api = client({ tokenCache: new TokenCache({ now: clock.now }), sleep: async (ms) => void sleeps.push(ms) });
		const token = await api.accessToken();
		clock.advanceSeconds(7200 - 200);
		sandbox.injectFault('/cgi-bin/stable_token', { errcode: -1 }, 100);
		for (let call = 0; call < 5; call++) await api.read('GET', '/cgi-bin/draft/count');
		expect(sandbox.count('/cgi-bin/stable_token')).toBe(2);
		expect(sleeps).toEqual([]);
		expect(await api.accessToken()).toBe(token);

		// 30 s later it tries again (once), then waits 60 s.
		clock.advanceSeconds(30);
		await api.accessToken();
		clock.advanceSeconds(59);
		await api.accessToken();
		expect(sandbox.count('/cgi-bin/stable_token')).toBe(3);
		clock.advanceSeconds(1);
		await api.accessToken();
		expect(sandbox.count('/cgi-bin/stable_token')).toBe(4);

		// Once the token has expired a fetch is due at every call again (here it succeeds).
		sandbox.clearFaults();
		clock.advanceSeconds(200);
		await api.accessToken();
		expect(sandbox.count('/cgi-bin/stable_token')).toBe(5);
	});
});

describe('forced refreshes per day', () => {
	/** 20 refusals, each answered by a forced refresh, 30 s apart. */
	async function useUpForcedRefreshes(api: WeChatClient, clock: ReturnType<typeof manualClock>, sent: SentRequest[]): Promise<void> {
		sandbox.configure({ stableForceRefresh: { perDay: 1000, intervalSeconds: 0 } });
		for (let refusal = 0; refusal < 20; refusal++) {
			sandbox.injectFault('/cgi-bin/draft/count', { errcode: 40001 });
			await api.read('GET', '/cgi-bin/draft/count');
			clock.advanceSeconds(30);
		}
		expect(forceRefreshFlags(sent).filter(Boolean)).toHaveLength(20);
	}

	it('past 20 in 24 hours forces no more: a plain fetch returning the refused token fails with a clear error; frees up a day later', async () => {
		const clock = manualClock();
		const sent: SentRequest[] = [];
		const api = client({ tokenCache: new TokenCache({ now: clock.now }) }, sent);
		await useUpForcedRefreshes(api, clock, sent);

		sandbox.injectFault('/cgi-bin/draft/count', { errcode: 40001 });
		const refused = await api.read('GET', '/cgi-bin/draft/count').then(
			() => undefined,
			(error: unknown) => error,
		);
		expect(refused).toBeInstanceOf(WeChatApiError);
		expect(refused).toMatchObject({ errcode: 40001 });
		expect((refused as Error).message).toMatch(/already forced 20 token refreshes for this account in the last 24 hours/);
		// One plain fetch, no forced one; it returned the refused token, which is not used.
		expect(forceRefreshFlags(sent).slice(21)).toEqual([false]);
		expect(sandbox.count('/cgi-bin/draft/count')).toBe(41);

		clock.advanceSeconds(86_400 - 20 * 30 + 30);
		await expect(api.read('GET', '/cgi-bin/draft/count')).resolves.toMatchObject({ total_count: 0 });
		expect(forceRefreshFlags(sent).slice(-1)).toEqual([true]);
	});

	it('past 20 in 24 hours a plain fetch still gets the current token when the old one is gone', async () => {
		const clock = manualClock();
		const sent: SentRequest[] = [];
		const api = client({ tokenCache: new TokenCache({ now: clock.now }) }, sent);
		await useUpForcedRefreshes(api, clock, sent);

		// The token ends (another process forced a refresh, or it expired): WeChat answers 42001.
		sandbox.expireTokens();
		await expect(api.read('GET', '/cgi-bin/draft/count')).resolves.toMatchObject({ total_count: 0 });
		expect(forceRefreshFlags(sent).slice(21)).toEqual([false]);
		await expect(api.read('GET', '/cgi-bin/draft/count')).resolves.toMatchObject({ total_count: 0 });
		expect(forceRefreshFlags(sent)).toHaveLength(22);
	});
});

describe('cache size', () => {
	it('keeps at most maxEntries accounts, evicting the least recently used', async () => {
		const cache = new TokenCache({ maxEntries: 2 });
		let fetches = 0;
		const fetchToken = async (): Promise<TokenGrant> => ({ accessToken: `token-${++fetches}`, expiresInSeconds: 7200 });
		await cache.get('a', STABLE_LIKE, fetchToken);
		await cache.get('b', STABLE_LIKE, fetchToken);
		await cache.get('a', STABLE_LIKE, fetchToken);
		await cache.get('c', STABLE_LIKE, fetchToken);
		expect(cache.size).toBe(2);
		expect(fetches).toBe(3);
		expect(await cache.get('a', STABLE_LIKE, fetchToken)).toBe('token-1');
		expect(await cache.get('b', STABLE_LIKE, fetchToken)).toBe('token-4');
	});
});
