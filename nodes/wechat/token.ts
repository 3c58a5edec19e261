import { createHash } from 'node:crypto';

/**
 * Access-token cache for WeChat's API: one cache per process, shared by every execution.
 *
 * WeChat answers token errors with HTTP 200 and an errcode, so n8n's own credential refresh
 * (after HTTP 401) does not fit; this cache refreshes early, lets concurrent callers share one
 * fetch, and forces a refresh only after a token error (stable tokens: at most once per 30 s,
 * WeChat allows 20 forced refreshes a day).
 */

export type TokenMode = 'stable' | 'classic';

/** What the token endpoint granted. */
export interface TokenGrant {
	accessToken: string;
	expiresInSeconds: number;
}

/** Fetches a token; `forceRefresh` asks stable_token for a new one (ignored in classic mode). */
export type TokenFetcher = (options: { forceRefresh: boolean }) => Promise<TokenGrant>;

/** The HTTP request that fetches a token (executed by the API client, which adds failover and retries). */
export interface TokenRequest {
	method: 'GET' | 'POST';
	endpoint: string;
	query?: Record<string, string>;
	body?: Record<string, unknown>;
}

export interface TokenCacheOptions {
	/** Milliseconds since the epoch; injectable for tests. */
	now?: () => number;
	/** Refresh this long before expiry (capped at half the token's lifetime). */
	refreshMarginSeconds?: number;
	/** Minimum spacing of forced refreshes per key. */
	forceRefreshIntervalSeconds?: number;
}

interface CacheEntry {
	token?: string;
	/** When the cached token stops being handed out (before WeChat's expiry). */
	refreshAt: number;
	/** When WeChat's lifetime of the cached token ends. */
	expiresAt: number;
	inFlight?: Promise<string>;
	/** A token error was reported: the next fetch asks for a new token. */
	forceNext: boolean;
	/** The token WeChat refused last; a fetch returning it again keeps `forceNext`. */
	rejectedToken?: string;
	lastForcedAt?: number;
}

export const DEFAULT_REFRESH_MARGIN_SECONDS = 300;
export const FORCE_REFRESH_INTERVAL_SECONDS = 30;

export class TokenCache {
	private readonly entries = new Map<string, CacheEntry>();

	private readonly now: () => number;

	private readonly refreshMarginMs: number;

	private readonly forceRefreshIntervalMs: number;

	constructor(options: TokenCacheOptions = {}) {
		this.now = options.now ?? Date.now;
		this.refreshMarginMs = (options.refreshMarginSeconds ?? DEFAULT_REFRESH_MARGIN_SECONDS) * 1000;
		this.forceRefreshIntervalMs =
			(options.forceRefreshIntervalSeconds ?? FORCE_REFRESH_INTERVAL_SECONDS) * 1000;
	}

	/** A valid token for `key`: the cached one, the one being fetched, or a new fetch. */
	async get(key: string, fetchToken: TokenFetcher): Promise<string> {
		const entry = this.entry(key);
		if (entry.token !== undefined && this.now() < entry.refreshAt) return entry.token;
		if (!entry.inFlight) {
			const inFlight = this.refresh(entry, fetchToken).finally(() => {
				if (entry.inFlight === inFlight) entry.inFlight = undefined;
			});
			entry.inFlight = inFlight;
		}
		return await entry.inFlight;
	}

	private async refresh(entry: CacheEntry, fetchToken: TokenFetcher): Promise<string> {
		const startedAt = this.now();
		const forceRefresh =
			entry.forceNext &&
			(entry.lastForcedAt === undefined || startedAt - entry.lastForcedAt >= this.forceRefreshIntervalMs);
		if (forceRefresh) entry.lastForcedAt = startedAt;
		const outcome = await fetchToken({ forceRefresh }).then(
			(grant) => ({ grant }),
			(error: unknown) => ({ error }),
		);
		if ('error' in outcome) {
			// An early refresh that failed: the current token is still valid for a while.
			if (entry.token !== undefined && this.now() < entry.expiresAt) return entry.token;
			throw outcome.error;
		}
		const { grant } = outcome;
		const lifetimeMs = Math.max(0, grant.expiresInSeconds) * 1000;
		entry.token = grant.accessToken;
		entry.expiresAt = startedAt + lifetimeMs;
		entry.refreshAt = entry.expiresAt - Math.min(this.refreshMarginMs, lifetimeMs / 2);
		if (grant.accessToken !== entry.rejectedToken) entry.forceNext = false;
		return grant.accessToken;
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

	private entry(key: string): CacheEntry {
		let entry = this.entries.get(key);
		if (!entry) {
			entry = { refreshAt: 0, expiresAt: 0, forceNext: false };
			this.entries.set(key, entry);
		}
		return entry;
	}
}

/** The cache shared by all executions of this process. */
export const sharedTokenCache = new TokenCache();

/**
 * Cache key: account, host and mode, plus a hash of the AppSecret so that a credential holding
 * only the (public) AppID and a wrong secret never receives another credential's token.
 */
export function tokenCacheKey(credential: {
	appId: string;
	appSecret: string;
	baseUrl: string;
	tokenMode: TokenMode;
}): string {
	const secretHash = createHash('sha256').update(credential.appSecret).digest('hex').slice(0, 16);
	return [credential.tokenMode, credential.baseUrl, credential.appId, secretHash].join('|');
}

/** The token endpoint call for a mode: stable_token (JSON POST) or the classic GET. */
export function buildTokenRequest(
	mode: TokenMode,
	appId: string,
	appSecret: string,
	forceRefresh: boolean,
): TokenRequest {
	if (mode === 'classic') {
		return {
			method: 'GET',
			endpoint: '/cgi-bin/token',
			query: { grant_type: 'client_credential', appid: appId, secret: appSecret },
		};
	}
	return {
		method: 'POST',
		endpoint: '/cgi-bin/stable_token',
		body: { grant_type: 'client_credential', appid: appId, secret: appSecret, force_refresh: forceRefresh },
	};
}

/** Reads `{access_token, expires_in}` from a successful token response. */
export function parseTokenGrant(response: Record<string, unknown>): TokenGrant | undefined {
	const accessToken = response.access_token;
	const expiresIn = Number(response.expires_in);
	if (typeof accessToken !== 'string' || accessToken === '' || !Number.isFinite(expiresIn)) return undefined;
	return { accessToken, expiresInSeconds: expiresIn };
}
