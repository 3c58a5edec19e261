import { createHash } from 'node:crypto';

import { formatErrcode } from './errcodes';
import { quoteRedacted, redact, transportErrorCode, WeChatApiError, WeChatClient, type WeChatClientOptions } from './api';
import type { ForcedRefreshLimit, TokenFetchOptions, TokenGrant, TokenRequest, TokenSource, TokenSourceIo } from './token';

/**
 * The three token sources: WeChat's stable_token, its classic token, and an HTTP token service
 * (a central token server, or a third-party platform's backend handing out
 * authorizer_access_token). The credential's `authMode` picks one.
 */

export type AuthMode = 'stable' | 'classic' | 'tokenService';

/** The credential's fields, as n8n hands them over. */
export interface WeChatCredential {
	appId: string;
	appSecret?: string;
	baseUrl?: string;
	authMode?: AuthMode;
	/** Auth Mode's name before the first release (`stable` or `classic`): see authModeOf. */
	tokenMode?: string;
	serviceUrl?: string;
	serviceHeaderName?: string;
	serviceHeaderValue?: string;
	serviceResponseField?: string;
}

/** WeChat's limits on stable_token with force_refresh: 20 a day, 30 s apart. */
export const STABLE_FORCED_REFRESH_LIMIT: ForcedRefreshLimit = { perDay: 20, minIntervalSeconds: 30 };
/** Stable tokens are rotated by WeChat about 5 minutes before expiry. */
const WECHAT_REFRESH_MARGIN_SECONDS = 300;
/** A service's token without `expires_in` is used this long, then the service is asked again. */
export const SERVICE_DEFAULT_EXPIRES_IN_SECONDS = 300;
/** A service refreshes its own tokens; the node asks again shortly before the lifetime it was told. */
const SERVICE_REFRESH_MARGIN_SECONDS = 60;
export const SERVICE_DEFAULT_RESPONSE_FIELD = 'access_token';
/** A token service's answer is a few hundred bytes; more than this is not read. */
export const SERVICE_ANSWER_MAX_BYTES = 64 * 1024;

function hash(...parts: string[]): string {
	return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16);
}

function wechatGrant(response: Record<string, unknown>, endpoint: string): TokenGrant {
	const accessToken = response.access_token;
	const expiresIn = Number(response.expires_in);
	if (typeof accessToken !== 'string' || accessToken === '' || !Number.isFinite(expiresIn)) {
		throw new WeChatApiError(`WeChat's ${endpoint} answered without an access_token`, { endpoint });
	}
	return { accessToken, expiresInSeconds: expiresIn };
}

function requireAppSecret(credential: WeChatCredential, mode: AuthMode): string {
	if (!credential.appSecret) {
		throw new WeChatApiError(`The credential has no AppSecret, which Auth Mode "${mode}" needs`);
	}
	return credential.appSecret;
}

/** POST /cgi-bin/stable_token: the same token for every caller while it lives. */
export function stableTokenSource(appId: string, appSecret: string): TokenSource {
	return {
		mode: 'stable',
		cacheKey: `stable|${appId}|${hash(appSecret)}`,
		secrets: [appSecret],
		refreshMarginSeconds: WECHAT_REFRESH_MARGIN_SECONDS,
		forcedRefreshLimit: STABLE_FORCED_REFRESH_LIMIT,
		async fetch(io: TokenSourceIo, { forceRefresh, retry }: TokenFetchOptions): Promise<TokenGrant> {
			const request: TokenRequest = {
				method: 'POST',
				endpoint: '/cgi-bin/stable_token',
				body: { grant_type: 'client_credential', appid: appId, secret: appSecret, force_refresh: forceRefresh },
			};
			// A forced refresh counts against the daily limit: never repeated.
			return wechatGrant(await io.wechat(request, { retry: retry && !forceRefresh }), request.endpoint);
		},
	};
}

/** GET /cgi-bin/token: every fetch is a new token and retires the previous one. */
export function classicTokenSource(appId: string, appSecret: string): TokenSource {
	return {
		mode: 'classic',
		cacheKey: `classic|${appId}|${hash(appSecret)}`,
		secrets: [appSecret],
		refreshMarginSeconds: WECHAT_REFRESH_MARGIN_SECONDS,
		async fetch(io: TokenSourceIo, { retry }: TokenFetchOptions): Promise<TokenGrant> {
			const request: TokenRequest = {
				method: 'GET',
				endpoint: '/cgi-bin/token',
				query: { grant_type: 'client_credential', appid: appId, secret: appSecret },
			};
			return wechatGrant(await io.wechat(request, { retry }), request.endpoint);
		},
	};
}

export interface TokenServiceSettings {
	appId: string;
	serviceUrl: string;
	headerName?: string;
	headerValue?: string;
	responseField?: string;
}

/**
 * An HTTP token service: `GET <serviceUrl>` with `appid=<AppID>` added (unless the URL has one),
 * and `force_refresh=1` after WeChat refused the token it gave; an optional header carries the
 * service's secret. The answer is JSON holding the token in `responseField` and, ideally,
 * `expires_in` (the seconds it has left).
 */
export function tokenServiceSource(settings: TokenServiceSettings): TokenSource {
	const responseField = settings.responseField?.trim() || SERVICE_DEFAULT_RESPONSE_FIELD;
	const headerName = settings.headerName?.trim() ?? '';
	const headerValue = settings.headerValue ?? '';
	let url: URL;
	try {
		url = new URL(settings.serviceUrl.trim());
	} catch {
		url = new URL('invalid:');
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new WeChatApiError('The Service URL of the credential is not an http(s) URL');
	}
	if (headerName !== '' && !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(headerName)) {
		throw new WeChatApiError('The Service Header Name of the credential is not a valid HTTP header name');
	}
	if (!url.searchParams.has('appid')) url.searchParams.set('appid', settings.appId);
	// Any part of the URL may be a key (a path segment, a query value, a password): all are scrubbed.
	const secrets = [settings.serviceUrl, url.href, url.pathname, headerValue, decodeURIComponent(url.password)];
	for (const segment of url.pathname.split('/')) secrets.push(decodeURIComponent(segment));
	for (const value of url.searchParams.values()) if (value !== settings.appId) secrets.push(value);
	return {
		mode: 'tokenService',
		cacheKey: `tokenService|${settings.appId}|${hash(url.href, headerName, headerValue, responseField)}`,
		secrets: secrets.filter((secret) => secret !== ''),
		refreshMarginSeconds: SERVICE_REFRESH_MARGIN_SECONDS,
		forcedRefreshLimit: STABLE_FORCED_REFRESH_LIMIT,
		async fetch(io: TokenSourceIo, { forceRefresh }: TokenFetchOptions): Promise<TokenGrant> {
			const target = new URL(url.href);
			if (forceRefresh) target.searchParams.set('force_refresh', '1');
			const headers: Record<string, string> = { Accept: 'application/json' };
			if (headerName !== '') headers[headerName] = headerValue;
			const outcome = await io.external({ method: 'GET', url: target.href, headers, maxBytes: SERVICE_ANSWER_MAX_BYTES }).then(
				(response) => ({ response }),
				(error: unknown) => ({ error }),
			);
			if ('error' in outcome) {
				const code = transportErrorCode(outcome.error);
				if (code === 'ETIMEDOUT') {
					throw new WeChatApiError(
						'The token service did not send its whole answer in time (ETIMEDOUT); nothing was sent to WeChat. Check that the service runs and answers promptly.',
					);
				}
				throw new WeChatApiError(
					`Could not reach the token service${code ? ` (${code})` : ''}; nothing was sent to WeChat. Check the credential's Service URL and that the service runs.`,
				);
			}
			const { response } = outcome;
			if (response.tooLarge) {
				throw new WeChatApiError(
					`The token service answered HTTP ${response.statusCode} with more than ${SERVICE_ANSWER_MAX_BYTES / 1024} KB, far more than a token; the node stopped reading it. Nothing was sent to WeChat. Check the credential's Service URL.`,
					{ httpStatus: response.statusCode },
				);
			}
			return serviceGrant(response.statusCode, response.text, responseField, secrets);
		},
	};
}

/** Reads the service's answer; every failure names what the service said, never a secret. */
function serviceGrant(statusCode: number, text: string, responseField: string, secrets: string[]): TokenGrant {
	const fieldPattern = new RegExp(`("${responseField.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"\\s*:\\s*")[^"]*`, 'g');
	const answer = quoteRedacted(text, (whole) => redact(whole, secrets).replace(fieldPattern, '$1***'), 300).trim();
	const said = answer === '' ? 'an empty body' : `"${answer}"`;
	if (statusCode < 200 || statusCode >= 300) {
		throw new WeChatApiError(`The token service answered HTTP ${statusCode}: ${said}. Nothing was sent to WeChat.`, {
			httpStatus: statusCode,
		});
	}
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		parsed = undefined;
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw new WeChatApiError(`The token service's answer is not a JSON object: ${said}`);
	}
	const data = parsed as Record<string, unknown>;
	const errcode = data.errcode === undefined ? 0 : Number(data.errcode);
	if (errcode !== 0) {
		const errmsg = typeof data.errmsg === 'string' ? quoteRedacted(data.errmsg, (whole) => redact(whole, secrets)) : undefined;
		throw new WeChatApiError(`The token service answered with an error: ${formatErrcode(errcode, errmsg)}`, { errcode, errmsg });
	}
	const token = data[responseField];
	if (typeof token !== 'string' || token === '') {
		const fields = Object.keys(data).slice(0, 10).join(', ') || 'none';
		throw new WeChatApiError(
			`The token service's answer has no "${responseField}" field holding a token (its fields: ${fields}). Check the credential's Service Response Field.`,
		);
	}
	const expiresIn = Number(data.expires_in);
	return {
		accessToken: token,
		expiresInSeconds: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : SERVICE_DEFAULT_EXPIRES_IN_SECONDS,
	};
}

/**
 * Where the credential's tokens come from: its Auth Mode (stable when unset). A credential saved
 * before Auth Mode existed holds `tokenMode` instead, and n8n hands it over with Auth Mode at its
 * default, stable: a saved `classic` (the only other value it had) therefore wins over stable.
 */
export function authModeOf(credential: WeChatCredential): AuthMode {
	const mode = credential.authMode ?? 'stable';
	return mode === 'stable' && credential.tokenMode === 'classic' ? 'classic' : mode;
}

/** The source the credential's Auth Mode names (authModeOf). */
export function tokenSourceFor(credential: WeChatCredential): TokenSource {
	const mode = authModeOf(credential);
	if (mode === 'tokenService') {
		if (!credential.serviceUrl) throw new WeChatApiError('The credential has no Service URL, which Auth Mode "tokenService" needs');
		return tokenServiceSource({
			appId: credential.appId,
			serviceUrl: credential.serviceUrl,
			headerName: credential.serviceHeaderName,
			headerValue: credential.serviceHeaderValue,
			responseField: credential.serviceResponseField,
		});
	}
	if (mode === 'classic') return classicTokenSource(credential.appId, requireAppSecret(credential, mode));
	return stableTokenSource(credential.appId, requireAppSecret(credential, 'stable'));
}

/** A client for the credential: its Base URL and the token source its Auth Mode names. */
export function createWeChatClient(credential: WeChatCredential, options: WeChatClientOptions): WeChatClient {
	return new WeChatClient({ baseUrl: credential.baseUrl, tokenSource: tokenSourceFor(credential) }, options);
}
