import type { WeChatApiError } from './apiError';

/**
 * The HTTP exchange the client asks of its `send` (n8n's httpRequest in the nodes, node:http in
 * tests), WeChat's hosts, and the shape of one prepared call.
 */

export const WECHAT_DEFAULT_HOST = 'https://api.weixin.qq.com';
export const WECHAT_FALLBACK_HOST = 'https://api2.weixin.qq.com';

export interface HttpRequest {
	method: 'GET' | 'POST';
	/** Full URL, query string included. */
	url: string;
	headers: Record<string, string>;
	body?: string | Buffer;
	/** One deadline over the whole exchange: connecting, headers and every byte of the body. */
	timeoutMs: number;
	/** Bytes of the answer's body read at most; a longer one resolves cut, with `tooLarge`. */
	maxBytes: number;
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
	/** The body was longer than the request's `maxBytes` and was not read to its end. */
	tooLarge?: boolean;
}

export type SendFunction = (request: HttpRequest) => Promise<HttpResponse>;

/**
 * A read may be repeated; a write (submit, draft add/update/delete, uploads, publish delete) is
 * sent once, unless WeChat provably did not receive it.
 */
export type CallKind = 'read' | 'write';

/**
 * The most of an API answer the client reads. The largest answers are the batchget pages (20
 * drafts of up to 8 articles, each article's content under 1 MB by WeChat's rules), so an answer
 * beyond this is not WeChat's.
 */
export const API_ANSWER_MAX_BYTES = 64 * 1024 * 1024;

export function formatBytes(bytes: number): string {
	if (bytes >= 1024 * 1024) return `${Math.round(bytes / 1024 / 1024)} MB`;
	return `${Math.round(bytes / 1024)} KB`;
}

/** One call as the client prepared it, before the host and the token are added. */
export interface PreparedRequest {
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

/** Why one exchange failed, before it becomes the caller's error. */
export interface ExchangeFailure {
	error: WeChatApiError;
	/** A read may try again. */
	transient: boolean;
}

/** Which host an exchange used: the credential's, or the fallback after the default host failed. */
export interface Via {
	host: string;
	/** The default host and its connection error, when the fallback was used. */
	left?: { host: string; code: string };
}

export function describeVia(via: Via): string {
	return via.left ? `${via.host}, the fallback after ${via.left.host} failed with ${via.left.code}` : via.host;
}

export function normaliseBaseUrl(baseUrl: string | undefined): string {
	const trimmed = (baseUrl ?? '').trim().replace(/\/+$/, '');
	return trimmed === '' ? WECHAT_DEFAULT_HOST : trimmed;
}

export function sameHost(a: string, b: string): boolean {
	return normaliseBaseUrl(a).toLowerCase() === normaliseBaseUrl(b).toLowerCase();
}

export function hostName(baseUrl: string): string {
	try {
		return new URL(baseUrl).host;
	} catch {
		return baseUrl;
	}
}

/** An answer's body as text (UTF-8). */
export function bodyText(response: HttpResponse): string {
	return Buffer.isBuffer(response.body) ? response.body.toString('utf8') : String(response.body ?? '');
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

/** Awaits a promise without a try/catch: its value, or the error it rejected with. */
export async function settle<T>(promise: Promise<T>): Promise<{ value: T } | { error: unknown }> {
	return await promise.then(
		(value) => ({ value }),
		(error: unknown) => ({ error }),
	);
}
