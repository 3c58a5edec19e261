import { randomBytes } from 'node:crypto';

import { redact, WeChatApiError } from './apiError';
import { TOKEN_ERRCODES } from './errcodes';
import type { JsonObject } from './exactJson';
import { exchange, type ExchangeContext } from './exchange';
import {
	bodyText,
	type CallKind,
	normaliseBaseUrl,
	type PreparedRequest,
	type SendFunction,
	settle,
	WECHAT_DEFAULT_HOST,
	WECHAT_FALLBACK_HOST,
} from './http';
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
 * WeChat's HTTP API as the nodes use it: read() / write() / upload() with the access token. A
 * token errcode refreshes the token and retries once. It performs no I/O itself: the caller
 * injects `send` (n8n's httpRequest in the nodes, node:http in tests) and `sleep`.
 */

/** The account a client talks for: where its calls go and where its access tokens come from. */
export interface WeChatAccount {
	baseUrl?: string;
	tokenSource: TokenSource;
}

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

export const READ_RETRY_DELAYS_MS = [300, 1000];
const TIMEOUT_MS = 30_000;
const UPLOAD_TIMEOUT_MS = 120_000;

export class WeChatClient {
	readonly baseUrl: string;

	private readonly tokenSource: TokenSource;

	private readonly tokenCache: TokenCache;

	private readonly tokenKey: string;

	private readonly timeoutMs: number;

	private readonly uploadTimeoutMs: number;

	private readonly context: ExchangeContext;

	/** Values to scrub from every message: the source's secrets and each token this client used. */
	private readonly secrets = new Set<string>();

	constructor(account: WeChatAccount, options: WeChatClientOptions) {
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
		this.timeoutMs = options.timeoutMs ?? TIMEOUT_MS;
		this.uploadTimeoutMs = options.uploadTimeoutMs ?? UPLOAD_TIMEOUT_MS;
		for (const secret of account.tokenSource.secrets) this.secrets.add(secret);
		this.context = {
			send: options.send,
			sleep: options.sleep,
			baseUrl: this.baseUrl,
			defaultHost: options.defaultHost ?? WECHAT_DEFAULT_HOST,
			fallbackHost: options.fallbackHost ?? WECHAT_FALLBACK_HOST,
			readRetryDelaysMs: options.readRetryDelaysMs ?? READ_RETRY_DELAYS_MS,
			redact: (text) => this.redact(text),
		};
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

	/** A JSON call with the access token. */
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
			return await exchange(this.context, {
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
			const response = await this.context.send({ ...request, timeoutMs: this.timeoutMs });
			return { statusCode: response.statusCode, text: bodyText(response), tooLarge: response.tooLarge === true };
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

	/** WeChat refused the call for its token, so resending it (even a write) is safe: once. */
	private async withToken(request: PreparedRequest): Promise<JsonObject> {
		const token = await this.tokenFor(request);
		const first = await settle(exchange(this.context, request, token));
		if ('value' in first) return first.value;
		if (!isTokenError(first.error)) throw first.error;
		this.tokenCache.invalidate(this.tokenKey, token);

		const freshToken = await this.tokenFor(request, first.error);
		const second = await settle(exchange(this.context, request, freshToken));
		if ('value' in second) return second.value;
		if (!isTokenError(second.error)) throw second.error;
		this.tokenCache.invalidate(this.tokenKey, freshToken);
		throw new WeChatApiError(`${second.error.message} WeChat refused a freshly fetched access token too.`, {
			errcode: second.error.errcode,
			errmsg: second.error.errmsg,
			endpoint: request.endpoint,
		});
	}
}

function isTokenError(error: unknown): error is WeChatApiError & { errcode: number } {
	return error instanceof WeChatApiError && error.errcode !== undefined && TOKEN_ERRCODES.has(error.errcode);
}
