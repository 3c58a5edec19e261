import { errorMessage, quoteRedacted } from './apiError';
import { exchangeFailure, interpretAnswer } from './answer';
import type { JsonObject } from './exactJson';
import {
	API_ANSWER_MAX_BYTES,
	type ExchangeFailure,
	describeVia,
	hostName,
	type HttpResponse,
	normaliseBaseUrl,
	type PreparedRequest,
	sameHost,
	type SendFunction,
	settle,
	transportErrorCode,
	type Via,
} from './http';

/**
 * One logical request to WeChat: bounded retries for reads, never a resent write, and failover
 * from the default host to the fallback host when the default host failed in a way that allows it.
 */

/** Connection failures where the request provably never reached the server. */
const NOT_SENT_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN']);

export interface ExchangeContext {
	send: SendFunction;
	sleep: (ms: number) => Promise<void>;
	/** The credential's host. */
	baseUrl: string;
	/** The host whose connection failures switch to `fallbackHost`. */
	defaultHost: string;
	fallbackHost: string;
	/** Waits before each retry of a read; its length bounds the retries. */
	readRetryDelaysMs: number[];
	/** Scrubs the client's secrets from quoted text. */
	redact: (text: string) => string;
}

/** A read is retried on busy/5xx/connection errors (bounded), a write never; rejects with WeChatApiError. */
export async function exchange(context: ExchangeContext, request: PreparedRequest, token?: string): Promise<JsonObject> {
	const delays = request.kind === 'read' && request.retryable ? context.readRetryDelaysMs : [];
	for (let attempt = 0; ; attempt++) {
		const outcome = await attemptOnce(context, request, token);
		if (!('error' in outcome)) return outcome.data;
		if (!outcome.transient || attempt >= delays.length) throw outcome.error;
		await context.sleep(delays[attempt]);
	}
}

/**
 * Sends to the credential's host, and to the fallback host when the default host failed in a
 * way that allows it; every message names the host that was actually used.
 */
async function attemptOnce(
	context: ExchangeContext,
	request: PreparedRequest,
	token: string | undefined,
): Promise<{ data: JsonObject } | ExchangeFailure> {
	const { baseUrl } = context;
	const primary = await settle(sendTo(context, baseUrl, request, token));
	if ('value' in primary) return interpretAnswer(request, primary.value, { host: hostName(baseUrl) }, context.redact);
	if (!sameHost(baseUrl, context.defaultHost) || !mayResendAfter(request, primary.error)) {
		return connectionFailure(context, request, primary.error, { host: hostName(baseUrl) });
	}
	const via: Via = {
		host: hostName(context.fallbackHost),
		left: { host: hostName(baseUrl), code: transportErrorCode(primary.error) ?? 'a connection error' },
	};
	const fallback = await settle(sendTo(context, context.fallbackHost, request, token));
	if ('value' in fallback) return interpretAnswer(request, fallback.value, via, context.redact);
	return connectionFailure(context, request, fallback.error, via);
}

/** A write only when the connection was never made; a read also after a connection lost mid-way. */
function mayResendAfter(request: PreparedRequest, error: unknown): boolean {
	const code = transportErrorCode(error);
	if (code !== undefined && NOT_SENT_CODES.has(code)) return true;
	return request.kind === 'read' && request.retryable;
}

async function sendTo(
	context: ExchangeContext,
	host: string,
	request: PreparedRequest,
	token: string | undefined,
): Promise<HttpResponse> {
	const query = new URLSearchParams(request.query);
	if (token !== undefined) query.set('access_token', token);
	const queryString = query.toString();
	return await context.send({
		method: request.method,
		url: `${normaliseBaseUrl(host)}${request.endpoint}${queryString ? `?${queryString}` : ''}`,
		headers: { ...request.headers },
		body: request.body,
		timeoutMs: request.timeoutMs,
		maxBytes: API_ANSWER_MAX_BYTES,
	});
}

function connectionFailure(context: ExchangeContext, request: PreparedRequest, error: unknown, via: Via): ExchangeFailure {
	const code = transportErrorCode(error);
	const notSent = code !== undefined && NOT_SENT_CODES.has(code);
	const cause = quoteRedacted(`${code ? `${code}: ` : ''}${errorMessage(error)}`, context.redact);
	if (notSent) {
		const hosts = via.left
			? `${via.left.host} (${via.left.code}) nor to its fallback ${via.host} (${code})`
			: `${via.host} (${code})`;
		return exchangeFailure(
			request,
			`Could not connect to ${hosts} for ${request.endpoint}; nothing was sent. Check the network, DNS and the credential's Base URL.`,
			{ description: cause, transient: true },
		);
	}
	return exchangeFailure(
		request,
		`The connection to ${describeVia(via)} failed during ${request.endpoint}${code ? ` (${code})` : ''}.`,
		{ description: cause, outcomeUnknown: request.kind === 'write', transient: request.kind === 'read' },
	);
}
