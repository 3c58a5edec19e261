/**
 * The WeChat API client's public surface, one import for the nodes: the client (client.ts),
 * its errors and redaction (apiError.ts), exact JSON (exactJson.ts) and the HTTP exchange it
 * asks of `send` (http.ts). Retries and host failover live in exchange.ts, the judging of an
 * answer in answer.ts.
 */
export { quoteRedacted, redact, WeChatApiError, type WeChatApiErrorDetails } from './apiError';
export {
	type CallOptions,
	READ_RETRY_DELAYS_MS,
	type UploadFile,
	type WeChatAccount,
	WeChatClient,
	type WeChatClientOptions,
} from './client';
export { type JsonObject, parseJsonExact } from './exactJson';
export {
	type CallKind,
	type HttpRequest,
	type HttpResponse,
	type SendFunction,
	transportErrorCode,
	WECHAT_DEFAULT_HOST,
	WECHAT_FALLBACK_HOST,
} from './http';
