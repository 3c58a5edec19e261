import { randomBytes } from 'node:crypto';

import { formatErrcode, TOKEN_ERRCODES } from './errcodes';
import {
	ForcedRefreshLimitError,
	sharedTokenCache,
	type TokenCache,
	type TokenFetchOptions,
	type TokenGrant,
	type TokenSource,
	type TokenSourceIo,
} from './token';

/**
 * WeChat's HTTP API as the nodes use it: URLs, the access token, exact big IDs, errcodes,
 * bounded retries for reads, never a resent write, host failover and redaction of secrets.
 * It performs no I/O itself: the caller injects `send` (n8n's httpRequest in the nodes,
 * node:http in tests) and `sleep`.
 */

export const WECHAT_DEFAULT_HOST = 'https://api.weixin.qq.com';
export const WECHAT_FALLBACK_HOST = 'https://api2.weixin.qq.com';

/** The account a client talks for: where its calls go and where its access tokens come from. */
export interface WeChatAccount {
	baseUrl?: string;
	tokenSource: TokenSource;
}

export interface HttpRequest {
	method: 'GET' | 'POST';
	/** Full URL, query string included. */
	url: string;
	headers: Record<string, string>;
	body?: string | Buffer;
	timeoutMs: number;
}

/** Any HTTP status resolves; only a failed exchange (no response) rejects, with a `code` such as ECONNREFUSED. */
export interface HttpResponse {
	statusCode: number;
	body: Buffer | string;
	contentType?: string;
}

export type SendFunction = (request: HttpRequest) => Promise<HttpResponse>;

export type JsonObject = { [key: string]: unknown };

export interface UploadFile {
	data: Buffer;
	fileName: string;
	mimeType: string;
}

export interface CallOptions {
	query?: Record<string, string | number | boolean>;
	body?: unknown;
	/** A non-idempotent call: never resent unless WeChat provably did not receive it. */
	write?: boolean;
}

export interface WeChatClientOptions {
	send: SendFunction;
	sleep: (ms: number) => Promise<void>;
	tokenCache?: TokenCache;
	/** The host whose connection failures switch to `fallbackHost` (tests point both at loopback). */
	defaultHost?: string;
	fallbackHost?: string;
	/** Waits before each retry of a read; its length bounds the retries. */
	readRetryDelaysMs?: number[];
	timeoutMs?: number;
	uploadTimeoutMs?: number;
}

export interface WeChatApiErrorDetails {
	errcode?: number;
	errmsg?: string;
	httpStatus?: number;
	/** A write whose outcome WeChat did not confirm; it was not resent. */
	outcomeUnknown?: boolean;
	description?: string;
	endpoint?: string;
}

/** Every failure of a WeChat call. Message and fields never hold the access token or AppSecret. */
export class WeChatApiError extends Error {
	readonly errcode?: number;

	readonly errmsg?: string;

	readonly httpStatus?: number;

	readonly outcomeUnknown: boolean;

	readonly description?: string;

	readonly endpoint?: string;

	constructor(message: string, details: WeChatApiErrorDetails = {}) {
		super(message);
		this.name = 'WeChatApiError';
		this.errcode = details.errcode;
		this.errmsg = details.errmsg;
		this.httpStatus = details.httpStatus;
		this.outcomeUnknown = details.outcomeUnknown ?? false;
		this.description = details.description;
		this.endpoint = details.endpoint;
	}
}

export const READ_RETRY_DELAYS_MS = [300, 1000];
const TIMEOUT_MS = 30_000;
const UPLOAD_TIMEOUT_MS = 120_000;

/** Connection failures where the request provably never reached the server. */
const NOT_SENT_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN']);

/** WeChat's non-idempotent endpoints: writes even when a caller forgets `write: true`. */
const WRITE_ENDPOINTS = new Set([
	'/cgi-bin/freepublish/submit',
	'/cgi-bin/freepublish/delete',
	'/cgi-bin/draft/add',
	'/cgi-bin/draft/update',
	'/cgi-bin/draft/delete',
	'/cgi-bin/material/add_material',
	'/cgi-bin/media/uploadimg',
]);

/** Keys whose values are IDs: always strings, never numbers. */
const ID_KEYS = new Set(['publish_id', 'msg_data_id', 'media_id', 'article_id', 'thumb_media_id']);

const UNKNOWN_OUTCOME_ADVICE =
	'The outcome is unknown and the request was NOT resent: check on the WeChat platform before running it again';

/** Replaces secrets in text: the given values, and anything shaped like access_token=… or "secret":"…". */
export function redact(text: string, secrets: Iterable<string | undefined> = []): string {
	let result = text;
	for (const secret of secrets) {
		// Very short values would blank out ordinary words; the patterns below still catch them in URLs and JSON.
		if (secret && secret.length >= 8) result = result.split(secret).join('***');
	}
	return result.replace(
		/((?:access_token|appsecret|secret)(?:\\?["'])?\s*[:=]\s*(?:\\?["'])?)[^"'&\s,}\\]+/gi,
		'$1***',
	);
}

/** The system error code (ECONNREFUSED, ENOTFOUND, …) of a failed exchange, looking through `cause`. */
export function transportErrorCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

function errorMessage(error: unknown): string {
	if (error instanceof Error) return error.message;
	return typeof error === 'string' ? error : 'unknown error';
}

/**
 * Puts every integer literal beyond 2^53 in quotes, so JSON.parse keeps its digits exact.
 * Walks the text token by token: digits inside strings are left alone.
 */
function quoteUnsafeIntegers(text: string): string {
	let result = '';
	let copiedUpTo = 0;
	let index = 0;
	while (index < text.length) {
		const char = text[index];
		if (char === '"') {
			index++;
			while (index < text.length && text[index] !== '"') index += text[index] === '\\' ? 2 : 1;
			index++;
		} else if (char === '-' || (char >= '0' && char <= '9')) {
			const start = index;
			index++;
			while (index < text.length && /[0-9.eE+-]/.test(text[index])) index++;
			const literal = text.slice(start, index);
			if (/^-?\d{16,}$/.test(literal) && !Number.isSafeInteger(Number(literal))) {
				result += `${text.slice(copiedUpTo, start)}"${literal}"`;
				copiedUpTo = index;
			}
		} else {
			index++;
		}
	}
	return copiedUpTo === 0 ? text : result + text.slice(copiedUpTo);
}

function stringifyIds(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(stringifyIds);
	if (typeof value !== 'object' || value === null) return value;
	const object = value as JsonObject;
	for (const [key, child] of Object.entries(object)) {
		object[key] = ID_KEYS.has(key) && typeof child === 'number' ? String(child) : stringifyIds(child);
	}
	return object;
}

/** JSON.parse that keeps integers beyond 2^53 exact (as strings) and returns every ID as a string. */
export function parseJsonExact(text: string): unknown {
	return stringifyIds(JSON.parse(quoteUnsafeIntegers(text)));
}

function normaliseBaseUrl(baseUrl: string | undefined): string {
	const trimmed = (baseUrl ?? '').trim().replace(/\/+$/, '');
	return trimmed === '' ? WECHAT_DEFAULT_HOST : trimmed;
}

function sameHost(a: string, b: string): boolean {
	return normaliseBaseUrl(a).toLowerCase() === normaliseBaseUrl(b).toLowerCase();
}

function hostName(baseUrl: string): string {
	try {
		return new URL(baseUrl).host;
	} catch {
		return baseUrl;
	}
}

type CallKind = 'read' | 'write';

interface PreparedRequest {
	method: 'GET' | 'POST';
	endpoint: string;
	query: Record<string, string>;
	headers: Record<string, string>;
	body?: string | Buffer;
	kind: CallKind;
	/** Whether a read may be repeated after a failure (a forced token refresh may not). */
	retryable: boolean;
	timeoutMs: number;
}

/** Why one exchange failed, before it becomes a WeChatApiError. */
interface ExchangeFailure {
	error: WeChatApiError;
	/** A read may try again. */
	transient: boolean;
}

export class WeChatClient {
	readonly baseUrl: string;

	private readonly tokenSource: TokenSource;

	private readonly tokenCache: TokenCache;

	private readonly tokenKey: string;

	private readonly defaultHost: string;

	private readonly fallbackHost: string;

	private readonly readRetryDelaysMs: number[];

	private readonly timeoutMs: number;

	private readonly uploadTimeoutMs: number;

	/** Values to scrub from every message: the source's secrets and each token this client used. */
	private readonly secrets = new Set<string>();

	constructor(
		account: WeChatAccount,
		private readonly options: WeChatClientOptions,
	) {
		this.baseUrl = normaliseBaseUrl(account.baseUrl);
		if (!/^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/i.test(this.baseUrl)) {
			throw new WeChatApiError(
				`The Base URL of the credential is not an http(s) URL: ${redact(this.baseUrl)}`,
			);
		}
		this.tokenSource = account.tokenSource;
		this.tokenCache = options.tokenCache ?? sharedTokenCache;
		// A token is only good for the host it was issued for (a sandbox's is not WeChat's).
		this.tokenKey = `${account.tokenSource.cacheKey}|${this.baseUrl}`;
		this.defaultHost = options.defaultHost ?? WECHAT_DEFAULT_HOST;
		this.fallbackHost = options.fallbackHost ?? WECHAT_FALLBACK_HOST;
		this.readRetryDelaysMs = options.readRetryDelaysMs ?? READ_RETRY_DELAYS_MS;
		this.timeoutMs = options.timeoutMs ?? TIMEOUT_MS;
		this.uploadTimeoutMs = options.uploadTimeoutMs ?? UPLOAD_TIMEOUT_MS;
		for (const secret of account.tokenSource.secrets) this.secrets.add(secret);
	}

	/** Scrubs this client's secrets (and token-shaped values) from a text. */
	redact(text: string): string {
		return redact(text, this.secrets);
	}

	/** A JSON call with the access token; a token errcode refreshes the token and retries once. */
	async call(method: 'GET' | 'POST', endpoint: string, options: CallOptions = {}): Promise<JsonObject> {
		const kind: CallKind = options.write || WRITE_ENDPOINTS.has(endpoint) ? 'write' : 'read';
		const query: Record<string, string> = {};
		for (const [key, value] of Object.entries(options.query ?? {})) query[key] = String(value);
		const hasBody = method === 'POST' && options.body !== undefined;
		return await this.withToken({
			method,
			endpoint,
			query,
			headers: hasBody ? { 'Content-Type': 'application/json; charset=utf-8' } : {},
			body: hasBody ? JSON.stringify(options.body) : undefined,
			kind,
			retryable: kind === 'read',
			timeoutMs: this.timeoutMs,
		});
	}

	/** A multipart upload of one file as field `media`. Uploads are writes: never resent. */
	async upload(endpoint: string, file: UploadFile, query: Record<string, string> = {}): Promise<JsonObject> {
		const boundary = `----n8nWeChatBoundary${randomBytes(12).toString('hex')}`;
		const fileName = file.fileName.replace(/["\r\n\\]/g, '_');
		const head = Buffer.from(
			`--${boundary}\r\nContent-Disposition: form-data; name="media"; filename="${fileName}"\r\n` +
				`Content-Type: ${file.mimeType.replace(/[\r\n]/g, '')}\r\n\r\n`,
		);
		const body = Buffer.concat([head, file.data, Buffer.from(`\r\n--${boundary}--\r\n`)]);
		return await this.withToken({
			method: 'POST',
			endpoint,
			query: { ...query },
			headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
			body,
			kind: 'write',
			retryable: false,
			timeoutMs: this.uploadTimeoutMs,
		});
	}

	/** The cached access token, fetched when missing or near expiry (one fetch for all concurrent callers). */
	async accessToken(): Promise<string> {
		const token = await this.tokenCache.get(
			this.tokenKey,
			this.tokenSource,
			async (options) => await this.fetchToken(options),
		);
		this.secrets.add(token);
		return token;
	}

	/** Fetches a token from the source, bypassing the cache (the credential test uses this). */
	async fetchToken(options: Partial<TokenFetchOptions> = {}): Promise<TokenGrant> {
		const grant = await this.tokenSource.fetch(this.tokenSourceIo, {
			forceRefresh: options.forceRefresh ?? false,
			retry: options.retry ?? true,
		});
		this.secrets.add(grant.accessToken);
		return grant;
	}

	/** How sources reach WeChat (this client's host, failover and read retries) or their own host. */
	private readonly tokenSourceIo: TokenSourceIo = {
		wechat: async (request, { retry }) => {
			const hasBody = request.body !== undefined;
			return await this.exchange({
				method: request.method,
				endpoint: request.endpoint,
				query: request.query ?? {},
				headers: hasBody ? { 'Content-Type': 'application/json; charset=utf-8' } : {},
				body: hasBody ? JSON.stringify(request.body) : undefined,
				kind: 'read',
				retryable: retry,
				timeoutMs: this.timeoutMs,
			});
		},
		external: async (request) => {
			const response = await this.options.send({ ...request, timeoutMs: this.timeoutMs });
			const text = Buffer.isBuffer(response.body) ? response.body.toString('utf8') : String(response.body ?? '');
			return { statusCode: response.statusCode, text };
		},
	};

	/** The access token for a call; past the forced refreshes of a day, a WeChatApiError saying so. */
	private async tokenFor(request: PreparedRequest, refused?: WeChatApiError): Promise<string> {
		const outcome = await settle(this.accessToken());
		if ('value' in outcome) return outcome.value;
		if (!(outcome.error instanceof ForcedRefreshLimitError)) throw outcome.error;
		throw new WeChatApiError(refused ? `${refused.message} ${outcome.error.message}` : outcome.error.message, {
			errcode: refused?.errcode,
			errmsg: refused?.errmsg,
			endpoint: request.endpoint,
		});
	}

	private async withToken(request: PreparedRequest): Promise<JsonObject> {
		const token = await this.tokenFor(request);
		const first = await settle(this.exchange(request, token));
		if ('value' in first) return first.value;
		if (!isTokenError(first.error)) throw first.error;
		// WeChat refused the call for its token, so resending it (even a write) is safe: once.
		this.tokenCache.invalidate(this.tokenKey, token);

		const freshToken = await this.tokenFor(request, first.error);
		const second = await settle(this.exchange(request, freshToken));
		if ('value' in second) return second.value;
		if (!isTokenError(second.error)) throw second.error;
		this.tokenCache.invalidate(this.tokenKey, freshToken);
		throw new WeChatApiError(`${second.error.message} WeChat refused a freshly fetched access token too.`, {
			errcode: second.error.errcode,
			errmsg: second.error.errmsg,
			endpoint: request.endpoint,
		});
	}

	/** One logical request: a read is retried on busy/5xx/connection errors (bounded), a write never. */
	private async exchange(request: PreparedRequest, token?: string): Promise<JsonObject> {
		const delays = request.kind === 'read' && request.retryable ? this.readRetryDelaysMs : [];
		for (let attempt = 0; ; attempt++) {
			const outcome = await this.attempt(request, token);
			if (!('error' in outcome)) return outcome.data;
			if (!outcome.transient || attempt >= delays.length) throw outcome.error;
			await this.options.sleep(delays[attempt]);
		}
	}

	private async attempt(
		request: PreparedRequest,
		token: string | undefined,
	): Promise<{ data: JsonObject } | ExchangeFailure> {
		let response: HttpResponse;
		try {
			response = await this.sendWithFailover(request, token);
		} catch (error) {
			return this.connectionFailure(request, error);
		}
		return this.interpret(request, response);
	}

	private async sendWithFailover(request: PreparedRequest, token: string | undefined): Promise<HttpResponse> {
		const primary = await settle(this.sendTo(this.baseUrl, request, token));
		if ('value' in primary) return primary.value;
		if (!sameHost(this.baseUrl, this.defaultHost) || !this.mayResendAfter(request, primary.error)) {
			throw primary.error;
		}
		return await this.sendTo(this.fallbackHost, request, token);
	}

	/** A write only when the connection was never made; a read also after a connection lost mid-way. */
	private mayResendAfter(request: PreparedRequest, error: unknown): boolean {
		const code = transportErrorCode(error);
		if (code !== undefined && NOT_SENT_CODES.has(code)) return true;
		return request.kind === 'read' && request.retryable;
	}

	private async sendTo(host: string, request: PreparedRequest, token: string | undefined): Promise<HttpResponse> {
		const query = new URLSearchParams(request.query);
		if (token !== undefined) query.set('access_token', token);
		const queryString = query.toString();
		return await this.options.send({
			method: request.method,
			url: `${normaliseBaseUrl(host)}${request.endpoint}${queryString ? `?${queryString}` : ''}`,
			headers: { ...request.headers },
			body: request.body,
			timeoutMs: request.timeoutMs,
		});
	}

	private connectionFailure(request: PreparedRequest, error: unknown): ExchangeFailure {
		const code = transportErrorCode(error);
		const notSent = code !== undefined && NOT_SENT_CODES.has(code);
		const failedOver = sameHost(this.baseUrl, this.defaultHost) && (notSent || (request.kind === 'read' && request.retryable));
		const host = failedOver
			? `${hostName(this.baseUrl)} and its fallback ${hostName(this.fallbackHost)}`
			: hostName(this.baseUrl);
		const cause = this.redact(`${code ? `${code}: ` : ''}${errorMessage(error)}`);
		if (notSent) {
			return {
				transient: true,
				error: new WeChatApiError(
					`Could not connect to ${host} (${code}) for ${request.endpoint}; nothing was sent. Check the network, DNS and the credential's Base URL.`,
					{ endpoint: request.endpoint, description: cause },
				),
			};
		}
		if (request.kind === 'write') {
			return {
				transient: false,
				error: new WeChatApiError(
					`The connection to ${host} failed during ${request.endpoint}${code ? ` (${code})` : ''}. ${UNKNOWN_OUTCOME_ADVICE}.`,
					{ endpoint: request.endpoint, description: cause, outcomeUnknown: true },
				),
			};
		}
		return {
			transient: true,
			error: new WeChatApiError(
				`The connection to ${host} failed during ${request.endpoint}${code ? ` (${code})` : ''}.`,
				{ endpoint: request.endpoint, description: cause },
			),
		};
	}

	private interpret(request: PreparedRequest, response: HttpResponse): { data: JsonObject } | ExchangeFailure {
		const text = Buffer.isBuffer(response.body) ? response.body.toString('utf8') : String(response.body ?? '');
		const isWrite = request.kind === 'write';
		const snippet = this.redact(text.slice(0, 200));
		if (response.statusCode < 200 || response.statusCode >= 300) {
			const base = `WeChat answered HTTP ${response.statusCode} to ${request.endpoint}`;
			return {
				transient: response.statusCode >= 500,
				error: new WeChatApiError(isWrite ? `${base}. ${UNKNOWN_OUTCOME_ADVICE}.` : `${base}.`, {
					httpStatus: response.statusCode,
					outcomeUnknown: isWrite,
					endpoint: request.endpoint,
					description: snippet,
				}),
			};
		}
		let parsed: unknown;
		try {
			parsed = parseJsonExact(text);
		} catch {
			parsed = undefined;
		}
		if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
			const base = `WeChat's answer to ${request.endpoint} is not JSON (content type ${response.contentType ?? 'unknown'}; a proxy or captive portal in between?)`;
			return {
				transient: true,
				error: new WeChatApiError(isWrite ? `${base}. ${UNKNOWN_OUTCOME_ADVICE}.` : `${base}.`, {
					httpStatus: response.statusCode,
					outcomeUnknown: isWrite,
					endpoint: request.endpoint,
					description: snippet,
				}),
			};
		}
		const data = parsed as JsonObject;
		const errcode = data.errcode === undefined ? 0 : Number(data.errcode);
		if (errcode === 0) return { data };
		const errmsg = typeof data.errmsg === 'string' ? this.redact(data.errmsg) : undefined;
		const message = formatErrcode(errcode, errmsg);
		return {
			transient: errcode === -1,
			error: new WeChatApiError(
				isWrite && errcode === -1 ? `${message} The request was not resent: check on the WeChat platform before running it again.` : message,
				{ errcode, errmsg, endpoint: request.endpoint },
			),
		};
	}
}

/** Awaits a promise without a try/catch: its value, or the error it rejected with. */
async function settle<T>(promise: Promise<T>): Promise<{ value: T } | { error: unknown }> {
	return await promise.then(
		(value) => ({ value }),
		(error: unknown) => ({ error }),
	);
}

function isTokenError(error: unknown): error is WeChatApiError & { errcode: number } {
	return error instanceof WeChatApiError && error.errcode !== undefined && TOKEN_ERRCODES.has(error.errcode);
}
