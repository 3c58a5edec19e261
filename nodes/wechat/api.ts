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

/**
 * Any HTTP status resolves; only a failed exchange (no response) rejects, with a `code` such as
 * ECONNREFUSED. `send` must not follow redirects: a 3xx comes back as it is.
 */
export interface HttpResponse {
	statusCode: number;
	body: Buffer | string;
	contentType?: string;
	/** The Location header of a redirect. */
	location?: string;
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
	/** The fields a success must hold, such as the ID the operation returns; without one the call fails. */
	expect?: readonly string[];
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
	/** The msg_id an errcode answer carried: with 45065, the earlier mass send of this clientmsgid. */
	msgId?: string;
}

/** Every failure of a WeChat call. Message and fields never hold the access token or AppSecret. */
export class WeChatApiError extends Error {
	readonly errcode?: number;

	readonly errmsg?: string;

	readonly httpStatus?: number;

	readonly outcomeUnknown: boolean;

	readonly description?: string;

	readonly endpoint?: string;

	readonly msgId?: string;

	constructor(message: string, details: WeChatApiErrorDetails = {}) {
		super(message);
		this.name = 'WeChatApiError';
		this.errcode = details.errcode;
		this.errmsg = details.errmsg;
		this.httpStatus = details.httpStatus;
		this.outcomeUnknown = details.outcomeUnknown ?? false;
		this.description = details.description;
		this.endpoint = details.endpoint;
		this.msgId = details.msgId;
	}
}

export const READ_RETRY_DELAYS_MS = [300, 1000];
const TIMEOUT_MS = 30_000;
const UPLOAD_TIMEOUT_MS = 120_000;

/** Connection failures where the request provably never reached the server. */
const NOT_SENT_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN']);

/** Keys whose values are IDs: always strings, never numbers. */
const ID_KEYS = new Set(['publish_id', 'msg_id', 'msg_data_id', 'media_id', 'article_id', 'thumb_media_id']);

const UNKNOWN_OUTCOME_ADVICE =
	'The outcome is unknown and the request was NOT resent: check on the WeChat platform before running it again';

/** The longest answer text an error quotes (after redaction, so no secret is cut in half). */
const SNIPPET_LENGTH = 200;

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

/**
 * A read may be repeated; a write (submit, draft add/update/delete, uploads, publish delete) is
 * sent once, unless WeChat provably did not receive it.
 */
export type CallKind = 'read' | 'write';

interface PreparedRequest {
	method: 'GET' | 'POST';
	endpoint: string;
	query: Record<string, string>;
	headers: Record<string, string>;
	body?: string | Buffer;
	kind: CallKind;
	expect?: readonly string[];
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

	/** A read with the access token: retried on busy, 5xx and connection errors (bounded). */
	async read(method: 'GET' | 'POST', endpoint: string, options: CallOptions = {}): Promise<JsonObject> {
		return await this.callJson('read', method, endpoint, options);
	}

	/** A write (POST) with the access token: sent once, unless WeChat provably did not receive it. */
	async write(endpoint: string, options: CallOptions = {}): Promise<JsonObject> {
		return await this.callJson('write', 'POST', endpoint, options);
	}

	/** A multipart upload of one file as field `media`. Uploads are writes: never resent. */
	async upload(
		endpoint: string,
		file: UploadFile,
		options: { query?: Record<string, string>; expect?: readonly string[] } = {},
	): Promise<JsonObject> {
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
			query: { ...options.query },
			headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
			body,
			kind: 'write',
			expect: options.expect,
			retryable: false,
			timeoutMs: this.uploadTimeoutMs,
		});
	}

	/** A JSON call with the access token; a token errcode refreshes the token and retries once. */
	private async callJson(
		kind: CallKind,
		method: 'GET' | 'POST',
		endpoint: string,
		options: CallOptions,
	): Promise<JsonObject> {
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
			expect: options.expect,
			retryable: kind === 'read',
			timeoutMs: this.timeoutMs,
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

	/**
	 * Sends to the credential's host, and to the fallback host when the default host failed in a
	 * way that allows it; every message names the host that was actually used.
	 */
	private async attempt(
		request: PreparedRequest,
		token: string | undefined,
	): Promise<{ data: JsonObject } | ExchangeFailure> {
		const primary = await settle(this.sendTo(this.baseUrl, request, token));
		if ('value' in primary) return this.interpret(request, primary.value, { host: hostName(this.baseUrl) });
		if (!sameHost(this.baseUrl, this.defaultHost) || !this.mayResendAfter(request, primary.error)) {
			return this.connectionFailure(request, primary.error, { host: hostName(this.baseUrl) });
		}
		const via: Via = {
			host: hostName(this.fallbackHost),
			left: { host: hostName(this.baseUrl), code: transportErrorCode(primary.error) ?? 'a connection error' },
		};
		const fallback = await settle(this.sendTo(this.fallbackHost, request, token));
		if ('value' in fallback) return this.interpret(request, fallback.value, via);
		return this.connectionFailure(request, fallback.error, via);
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

	/** A failure of this exchange; a write whose outcome is unknown says so and is never retried. */
	private failure(
		request: PreparedRequest,
		message: string,
		details: WeChatApiErrorDetails & { transient: boolean },
	): ExchangeFailure {
		const { transient, ...errorDetails } = details;
		const outcomeUnknown = details.outcomeUnknown ?? false;
		return {
			transient,
			error: new WeChatApiError(outcomeUnknown ? `${message} ${UNKNOWN_OUTCOME_ADVICE}.` : message, {
				...errorDetails,
				outcomeUnknown,
				endpoint: request.endpoint,
			}),
		};
	}

	private connectionFailure(request: PreparedRequest, error: unknown, via: Via): ExchangeFailure {
		const code = transportErrorCode(error);
		const notSent = code !== undefined && NOT_SENT_CODES.has(code);
		const cause = this.redact(`${code ? `${code}: ` : ''}${errorMessage(error)}`);
		if (notSent) {
			const hosts = via.left
				? `${via.left.host} (${via.left.code}) nor to its fallback ${via.host} (${code})`
				: `${via.host} (${code})`;
			return this.failure(
				request,
				`Could not connect to ${hosts} for ${request.endpoint}; nothing was sent. Check the network, DNS and the credential's Base URL.`,
				{ description: cause, transient: true },
			);
		}
		return this.failure(
			request,
			`The connection to ${describeVia(via)} failed during ${request.endpoint}${code ? ` (${code})` : ''}.`,
			{ description: cause, outcomeUnknown: request.kind === 'write', transient: request.kind === 'read' },
		);
	}

	private interpret(request: PreparedRequest, response: HttpResponse, via: Via): { data: JsonObject } | ExchangeFailure {
		const text = Buffer.isBuffer(response.body) ? response.body.toString('utf8') : String(response.body ?? '');
		const isWrite = request.kind === 'write';
		const snippet = this.redact(text).slice(0, SNIPPET_LENGTH);
		const httpStatus = response.statusCode;
		if (httpStatus >= 300 && httpStatus < 400) {
			// Following it would resend the body and the access token to wherever it points.
			const target = response.location ? this.redact(response.location).slice(0, SNIPPET_LENGTH) : 'no Location';
			return this.failure(
				request,
				`WeChat (${describeVia(via)}) answered ${request.endpoint} with a redirect (HTTP ${httpStatus} to ${target}), which the node does not follow. Set the credential's Base URL to the address that answers directly.`,
				{ httpStatus, outcomeUnknown: isWrite, description: snippet, transient: false },
			);
		}
		if (httpStatus < 200 || httpStatus >= 300) {
			return this.failure(request, `WeChat (${describeVia(via)}) answered HTTP ${httpStatus} to ${request.endpoint}.`, {
				httpStatus,
				outcomeUnknown: isWrite,
				description: snippet,
				transient: httpStatus >= 500,
			});
		}
		let parsed: unknown;
		try {
			parsed = parseJsonExact(text);
		} catch {
			parsed = undefined;
		}
		if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
			return this.failure(
				request,
				`The answer of WeChat (${describeVia(via)}) to ${request.endpoint} is not JSON (content type ${response.contentType ?? 'unknown'}; a proxy or captive portal in between?).`,
				{ httpStatus, outcomeUnknown: isWrite, description: snippet, transient: true },
			);
		}
		const data = parsed as JsonObject;
		const errcode = readErrcode(data.errcode);
		if (errcode === undefined) {
			return this.failure(
				request,
				`The answer of WeChat (${describeVia(via)}) to ${request.endpoint} holds an errcode that is not a number.`,
				{ httpStatus, outcomeUnknown: isWrite, description: snippet, transient: true },
			);
		}
		if (errcode !== 0) {
			const errmsg = typeof data.errmsg === 'string' ? this.redact(data.errmsg) : undefined;
			const answeredBy = via.left ? ` (answered by ${describeVia(via)})` : '';
			// -1 "system busy" on a write: WeChat may have acted on it before giving up.
			return this.failure(request, `${formatErrcode(errcode, errmsg)}${answeredBy}`, {
				errcode,
				errmsg,
				msgId: typeof data.msg_id === 'string' ? data.msg_id : undefined,
				outcomeUnknown: isWrite && errcode === -1,
				transient: errcode === -1,
			});
		}
		const missing = request.expect?.find((field) => !isPresentId(data[field]));
		if (missing !== undefined) {
			return this.failure(
				request,
				`WeChat (${describeVia(via)}) reported success for ${request.endpoint} but sent no ${missing}.`,
				{ httpStatus, outcomeUnknown: isWrite, description: snippet, transient: false },
			);
		}
		return { data };
	}
}

/** Which host an exchange used: the credential's, or the fallback after the default host failed. */
interface Via {
	host: string;
	/** The default host and its connection error, when the fallback was used. */
	left?: { host: string; code: string };
}

function describeVia(via: Via): string {
	return via.left ? `${via.host}, the fallback after ${via.left.host} failed with ${via.left.code}` : via.host;
}

/** WeChat's errcode as an integer: 0 when absent, undefined when it is no integer at all. */
function readErrcode(value: unknown): number | undefined {
	if (value === undefined) return 0;
	if (typeof value === 'number' && Number.isInteger(value)) return value;
	if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
	return undefined;
}

function isPresentId(value: unknown): boolean {
	return (typeof value === 'string' && value.trim() !== '') || (typeof value === 'number' && Number.isFinite(value));
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
