/**
 * Access tokens: where they come from (a TokenSource) and the per-process cache in front of them.
 *
 * WeChat answers token errors with HTTP 200 and an errcode, so n8n's own credential refresh
 * (after HTTP 401) does not fit. The cache refreshes early, lets concurrent callers share one
 * fetch, backs off after a failed early refresh while the current token is still valid, and
 * forces a refresh only after a token error, within the source's limits (stable_token: 20 a day,
 * 30 s apart). The sources are modelled on silenceper/wechat's swappable access-token handle.
 */

/** What a source granted. */
export interface TokenGrant {
	accessToken: string;
	expiresInSeconds: number;
}

export interface TokenFetchOptions {
	/** Ask for a new token, not the one the source holds (after WeChat refused that one). */
	forceRefresh: boolean;
	/** false while a still-valid token is cached: one attempt, no retries and no waiting. */
	retry: boolean;
}

/** The HTTP request that fetches a token from WeChat (executed by the API client: failover, retries, errcodes). */
export interface TokenRequest {
	method: 'GET' | 'POST';
	endpoint: string;
	query?: Record<string, string>;
	body?: Record<string, unknown>;
}

/** A request to a host outside WeChat (a token service): sent once, the answer judged by the source. */
export interface ExternalRequest {
	method: 'GET';
	url: string;
	headers: Record<string, string>;
	/** Bytes of the answer read at most. */
	maxBytes: number;
}

export interface ExternalResponse {
	statusCode: number;
	text: string;
	/** The answer was longer than `maxBytes`: `text` is its start. */
	tooLarge: boolean;
}

/** What the API client offers a source to fetch with. */
export interface TokenSourceIo {
	/** A token-less call to WeChat's API host; rejects with the client's WeChatApiError. */
	wechat(request: TokenRequest, options: { retry: boolean }): Promise<Record<string, unknown>>;
	/** One exchange with another host; rejects only when no answer came (the error's `code` says why). */
	external(request: ExternalRequest): Promise<ExternalResponse>;
}

/** Limits on forced refreshes: WeChat allows 20 forced stable_token refreshes a day, 30 s apart. */
export interface ForcedRefreshLimit {
	perDay: number;
	minIntervalSeconds: number;
}

/**
 * Where access tokens come from. Implementations: stable_token, classic token, an HTTP token
 * service (nodes/wechat/tokenSources.ts).
 */
export interface TokenSource {
	/** The name in messages ("stable", "classic", "tokenService"); never a secret. */
	readonly mode: string;
	/** Keys the shared cache: two credentials share tokens only when every secret agrees. */
	readonly cacheKey: string;
	/** Values to scrub from every message (AppSecret, the service's URL and header value). */
	readonly secrets: readonly string[];
	/** Refresh this long before expiry (capped at half the token's lifetime). */
	readonly refreshMarginSeconds: number;
	/** Limits of forced refreshes; undefined when every fetch is a new token anyway (classic). */
	readonly forcedRefreshLimit?: ForcedRefreshLimit;
	fetch(io: TokenSourceIo, options: TokenFetchOptions): Promise<TokenGrant>;
}

export type TokenFetcher = (options: TokenFetchOptions) => Promise<TokenGrant>;

/** The forced refreshes of the last 24 hours are used up: the refused token cannot be replaced now. */
export class ForcedRefreshLimitError extends Error {
	constructor(readonly limit: ForcedRefreshLimit) {
		super(
			`The access token was refused and this n8n process already forced ${limit.perDay} token refreshes for this account in the last 24 hours (WeChat allows ${limit.perDay} a day), so it forces no more. Find what keeps invalidating the token (another tool fetching classic tokens, a changed AppSecret or password), then run again; the limit frees up 24 hours after each forced refresh.`,
		);
		this.name = 'ForcedRefreshLimitError';
	}
}

export interface TokenCacheOptions {
	/** Milliseconds since the epoch; injectable for tests. */
	now?: () => number;
	/** At most this many accounts are cached; the least recently used one is evicted. */
	maxEntries?: number;
}

interface CacheEntry {
	token?: string;
	/** When the cached token stops being handed out (before its expiry). */
	refreshAt: number;
	/** When the cached token's lifetime ends. */
	expiresAt: number;
	inFlight?: Promise<string>;
	/** A token error was reported: the next fetch asks for a new token. */
	forceNext: boolean;
	/** The token WeChat refused last; a fetch returning it again keeps `forceNext`. */
	rejectedToken?: string;
	/** When forced refreshes were sent, for the daily limit. */
	forcedAt: number[];
	/** Early refreshes that failed in a row: the wait before the next grows. */
	failedEarlyRefreshes: number;
}

const DAY_MS = 86_400_000;
/** After a failed early refresh, wait this long (doubling each time) before trying again. */
export const EARLY_REFRESH_BACKOFF_SECONDS = 30;
export const DEFAULT_MAX_ENTRIES = 1000;

export class TokenCache {
	private readonly entries = new Map<string, CacheEntry>();

	private readonly now: () => number;

	private readonly maxEntries: number;

	constructor(options: TokenCacheOptions = {}) {
		this.now = options.now ?? Date.now;
		this.maxEntries = Math.max(1, options.maxEntries ?? DEFAULT_MAX_ENTRIES);
	}

	get size(): number {
		return this.entries.size;
	}

	/** A valid token from `source`: the cached one, the one being fetched, or a new fetch. */
	async get(key: string, source: TokenSource, fetchToken: TokenFetcher): Promise<string> {
		const entry = this.entry(key);
		if (entry.token !== undefined && this.now() < entry.refreshAt) return entry.token;
		if (!entry.inFlight) {
			const inFlight = this.refresh(entry, source, fetchToken).finally(() => {
				if (entry.inFlight === inFlight) entry.inFlight = undefined;
			});
			entry.inFlight = inFlight;
		}
		return await entry.inFlight;
	}

	private async refresh(entry: CacheEntry, source: TokenSource, fetchToken: TokenFetcher): Promise<string> {
		const startedAt = this.now();
		const limit = source.forcedRefreshLimit;
		const verdict = entry.forceNext ? this.forcePermission(entry, limit, startedAt) : 'plain';
		const forceRefresh = verdict === 'force';
		if (forceRefresh) entry.forcedAt.push(startedAt);
		const stillValid = entry.token !== undefined && startedAt < entry.expiresAt;
		const outcome = await fetchToken({ forceRefresh, retry: !stillValid }).then(
			(grant) => ({ grant }),
			(error: unknown) => ({ error }),
		);
		if ('error' in outcome) {
			if (entry.token === undefined || this.now() >= entry.expiresAt) throw outcome.error;
			// An early refresh failed: keep the still-valid token and try again later, not on every call.
			const backoffMs = EARLY_REFRESH_BACKOFF_SECONDS * 1000 * 2 ** Math.min(entry.failedEarlyRefreshes, 6);
			entry.failedEarlyRefreshes++;
			entry.refreshAt = Math.min(this.now() + backoffMs, entry.expiresAt);
			return entry.token;
		}
		const { grant } = outcome;
		// Past the day's forced refreshes a plain fetch was tried: it helps only when the source has
		// moved on (another process forced a refresh, the token expired); the refused token is no use.
		if (verdict === 'limit' && limit !== undefined && grant.accessToken === entry.rejectedToken) {
			throw new ForcedRefreshLimitError(limit);
		}
		const lifetimeMs = Math.max(0, grant.expiresInSeconds) * 1000;
		entry.token = grant.accessToken;
		entry.expiresAt = startedAt + lifetimeMs;
		entry.refreshAt = entry.expiresAt - Math.min(source.refreshMarginSeconds * 1000, lifetimeMs / 2);
		entry.failedEarlyRefreshes = 0;
		if (grant.accessToken !== entry.rejectedToken) entry.forceNext = false;
		return grant.accessToken;
	}

	/**
	 * Whether a forced refresh may be sent now. Within the minimum interval the fetch goes out
	 * unforced (another caller's forced refresh may already have replaced the token); past the
	 * daily limit too ('limit'), and a fetch that returns the refused token again then fails with
	 * ForcedRefreshLimitError.
	 */
	private forcePermission(entry: CacheEntry, limit: ForcedRefreshLimit | undefined, now: number): 'force' | 'plain' | 'limit' {
		if (limit === undefined) return 'force';
		entry.forcedAt = entry.forcedAt.filter((at) => now - at < DAY_MS);
		const last = entry.forcedAt[entry.forcedAt.length - 1];
		if (last !== undefined && now - last < limit.minIntervalSeconds * 1000) return 'plain';
		return entry.forcedAt.length >= limit.perDay ? 'limit' : 'force';
	}

	/**
	 * WeChat refused `token`. The next `get` fetches anew. A token that is no longer the cached
	 * one (another caller already reported it, or a new one was fetched) is ignored, so callers
	 * failing on the same stale token cause a single refresh.
	 */
	invalidate(key: string, token: string): void {
		const entry = this.entries.get(key);
		if (!entry || entry.token !== token) return;
		entry.token = undefined;
		entry.rejectedToken = token;
		entry.forceNext = true;
	}

	/** Forget every token (tests, and a credential whose secret changed). */
	clear(): void {
		this.entries.clear();
	}

	/** The entry for `key`, now the most recently used; a new one may evict the least recently used. */
	private entry(key: string): CacheEntry {
		let entry = this.entries.get(key);
		if (entry) {
			this.entries.delete(key);
		} else {
			entry = { refreshAt: 0, expiresAt: 0, forceNext: false, forcedAt: [], failedEarlyRefreshes: 0 };
			this.evictFor(1);
		}
		this.entries.set(key, entry);
		return entry;
	}

	private evictFor(count: number): void {
		for (const [key, entry] of this.entries) {
			if (this.entries.size + count <= this.maxEntries) return;
			// A fetch under way has waiters: its entry stays until it settles.
			if (!entry.inFlight) this.entries.delete(key);
		}
	}
}

/** The cache shared by all executions of this process. */
export const sharedTokenCache = new TokenCache();
