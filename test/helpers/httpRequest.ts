/**
 * A real implementation of n8n's `helpers.httpRequest` on node:http(s), for tests that drive the
 * nodes without n8n. It honours the options n8n 2.41's axios-based helper honours (url, baseURL,
 * method, qs, headers, body, json, encoding (a stream too), returnFullResponse, ignoreHttpStatusErrors,
 * timeout, abortSignal, disableFollowRedirect: redirects are followed otherwise)
 * and fails the way it does: errors shaped like AxiosError, carrying the request's URL (query
 * string included), its body and headers in `config` — exactly what must never leak.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { Readable } from 'node:stream';

import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

export interface HttpRequestError extends Error {
	isAxiosError: true;
	code?: string;
	config: { url: string; method: string; headers: IDataObject; params?: IDataObject; data?: unknown };
	response?: { status: number; statusText?: string; headers: http.IncomingHttpHeaders; data: unknown };
	cause?: unknown;
}

/** Every request the helper sent, for assertions. */
export interface SentRequest {
	method: string;
	url: string;
	headers: IDataObject;
	body?: Buffer;
}

function buildUrl(options: IHttpRequestOptions): URL {
	const url = new URL(options.url, options.baseURL);
	for (const [key, value] of Object.entries(options.qs ?? {})) {
		if (value !== undefined && value !== null) url.searchParams.append(key, String(value));
	}
	return url;
}

function encodeBody(options: IHttpRequestOptions, headers: IDataObject): Buffer | undefined {
	const { body } = options;
	const method = (options.method ?? 'GET').toUpperCase();
	if (body === undefined || body === null || method === 'GET') return undefined;
	const hasContentType = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
	if (Buffer.isBuffer(body)) return body;
	if (typeof body === 'string') return body === '' ? undefined : Buffer.from(body);
	if (body instanceof URLSearchParams) {
		if (!hasContentType) headers['Content-Type'] = 'application/x-www-form-urlencoded';
		return Buffer.from(body.toString());
	}
	if (typeof body === 'object' && Object.keys(body).length === 0) return undefined;
	// axios serialises a plain object as JSON.
	if (!hasContentType) headers['Content-Type'] = 'application/json';
	return Buffer.from(JSON.stringify(body));
}

function decodeBody(options: IHttpRequestOptions, raw: Buffer): unknown {
	if (options.encoding === 'arraybuffer') return raw;
	if (options.encoding === 'stream') return Readable.from([raw]);
	const text = raw.toString('utf8');
	if (options.encoding === 'text') return text;
	// axios's default transform: JSON when it parses, else the text.
	try {
		return text === '' ? text : JSON.parse(text);
	} catch {
		return text;
	}
}

function axiosLikeError(
	message: string,
	config: HttpRequestError['config'],
	extra: Partial<Pick<HttpRequestError, 'code' | 'response' | 'cause'>>,
): HttpRequestError {
	return Object.assign(new Error(message), { isAxiosError: true as const, config, ...extra });
}

/** Creates an httpRequest helper; `sent` records what went out. */
export function createHttpRequest(sent: SentRequest[] = []): (options: IHttpRequestOptions) => Promise<unknown> {
	const httpRequest = async (options: IHttpRequestOptions): Promise<unknown> => {
		const url = buildUrl(options);
		const method = (options.method ?? 'GET').toUpperCase();
		const headers: IDataObject = { ...(options.headers ?? {}) };
		const body = encodeBody(options, headers);
		if (options.json && !Object.keys(headers).some((name) => name.toLowerCase() === 'accept')) {
			headers.Accept = 'application/json';
		}
		if (body) headers['Content-Length'] = String(body.length);
		const config: HttpRequestError['config'] = {
			url: url.toString(),
			method,
			headers,
			params: options.qs,
			data: options.body,
		};
		sent.push({ method, url: url.toString(), headers, body });
		const transport = url.protocol === 'https:' ? https : http;

		const { status, statusText, responseHeaders, raw, stream } = await new Promise<{
			status: number;
			statusText?: string;
			responseHeaders: http.IncomingHttpHeaders;
			raw: Buffer;
			stream?: http.IncomingMessage;
		}>((resolve, reject) => {
			const request = transport.request(
				url,
				{ method, headers: headers as http.OutgoingHttpHeaders },
				(response) => {
					const status = response.statusCode ?? 0;
					const followed = status >= 300 && status < 400 && response.headers.location && !options.disableFollowRedirect;
					if (options.encoding === 'stream' && !followed) {
						// Like axios: the body stream as soon as the headers are in; an abort destroys it.
						resolve({ status, statusText: response.statusMessage, responseHeaders: response.headers, raw: Buffer.alloc(0), stream: response });
						return;
					}
					const chunks: Buffer[] = [];
					response.on('data', (chunk: Buffer) => chunks.push(chunk));
					response.on('end', () =>
						resolve({
							status,
							statusText: response.statusMessage,
							responseHeaders: response.headers,
							raw: Buffer.concat(chunks),
						}),
					);
					response.on('error', (error: NodeJS.ErrnoException) =>
						reject(axiosLikeError(error.message, config, { code: error.code, cause: error })),
					);
				},
			);
			const signal = options.abortSignal as AbortSignal | undefined;
			if (signal) {
				// axios rejects with ERR_CANCELED and destroys the request and any body stream.
				const cancel = () => request.destroy(axiosLikeError('canceled', config, { code: 'ERR_CANCELED' }));
				if (signal.aborted) cancel();
				else signal.addEventListener('abort', cancel, { once: true });
				request.on('response', (response: http.IncomingMessage) => {
					signal.addEventListener('abort', () => response.destroy(axiosLikeError('canceled', config, { code: 'ERR_CANCELED' })), { once: true });
				});
			}
			if (options.timeout) {
				request.setTimeout(options.timeout, () => {
					request.destroy(
						axiosLikeError(`timeout of ${options.timeout}ms exceeded`, config, { code: 'ECONNABORTED' }),
					);
				});
			}
			request.on('error', (error: NodeJS.ErrnoException) => {
				reject(
					(error as Partial<HttpRequestError>).isAxiosError
						? error
						: axiosLikeError(error.message, config, { code: error.code, cause: error }),
				);
			});
			request.end(body);
		});

		const location = responseHeaders.location;
		if (status >= 300 && status < 400 && location && !options.disableFollowRedirect) {
			// Like n8n's helper (axios + follow-redirects): followed unless disableFollowRedirect;
			// 307 and 308 resend the method and body, the others turn into a GET.
			const keepsBody = status === 307 || status === 308;
			return await httpRequest({
				...options,
				url: new URL(location, url).toString(),
				qs: undefined,
				...(keepsBody ? {} : { method: 'GET', body: undefined }),
			});
		}
		const data = stream ?? decodeBody(options, raw);
		if ((status < 200 || status >= 300) && !options.ignoreHttpStatusErrors) {
			throw axiosLikeError(`Request failed with status code ${status}`, config, {
				code: status >= 500 ? 'ERR_BAD_RESPONSE' : 'ERR_BAD_REQUEST',
				response: { status, statusText, headers: responseHeaders, data },
			});
		}
		if (options.returnFullResponse) {
			return { body: data, headers: responseHeaders, statusCode: status, statusMessage: statusText };
		}
		return data;
	};
	return httpRequest;
}
