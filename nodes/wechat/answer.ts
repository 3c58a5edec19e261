import { quoteRedacted, UNKNOWN_OUTCOME_ADVICE, WeChatApiError, type WeChatApiErrorDetails } from './apiError';
import { formatErrcode } from './errcodes';
import { type JsonObject, parseJsonExact } from './exactJson';
import { API_ANSWER_MAX_BYTES, bodyText, describeVia, formatBytes, type ExchangeFailure, type HttpResponse, type PreparedRequest, type Via } from './http';

/**
 * How the client judges WeChat's answer to one exchange: HTTP status (a redirect is never
 * followed), JSON with exact IDs, the errcode, the fields a success must hold. A write whose
 * outcome WeChat did not confirm says so.
 */

/** A failure of this exchange; a write whose outcome is unknown says so and is never retried. */
export function exchangeFailure(
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

/** The answer's data, or why it is a failure; `redact` scrubs the client's secrets from quoted text. */
export function interpretAnswer(
	request: PreparedRequest,
	response: HttpResponse,
	via: Via,
	redact: (text: string) => string,
): { data: JsonObject } | ExchangeFailure {
	const text = bodyText(response);
	const isWrite = request.kind === 'write';
	const snippet = quoteRedacted(text, redact);
	const httpStatus = response.statusCode;
	if (response.tooLarge) {
		return exchangeFailure(
			request,
			`The answer of WeChat (${describeVia(via)}) to ${request.endpoint} is larger than ${formatBytes(API_ANSWER_MAX_BYTES)}, far more than WeChat sends; the node stopped reading it. Check the credential's Base URL (a proxy or another server in between?).`,
			{ httpStatus, outcomeUnknown: isWrite, description: snippet, transient: false },
		);
	}
	if (httpStatus >= 300 && httpStatus < 400) {
		// Following it would resend the body and the access token to wherever it points.
		const target = response.location ? quoteRedacted(response.location, redact) : 'no Location';
		return exchangeFailure(
			request,
			`WeChat (${describeVia(via)}) answered ${request.endpoint} with a redirect (HTTP ${httpStatus} to ${target}), which the node does not follow. Set the credential's Base URL to the address that answers directly.`,
			{ httpStatus, outcomeUnknown: isWrite, description: snippet, transient: false },
		);
	}
	if (httpStatus < 200 || httpStatus >= 300) {
		return exchangeFailure(request, `WeChat (${describeVia(via)}) answered HTTP ${httpStatus} to ${request.endpoint}.`, {
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
		return exchangeFailure(
			request,
			`The answer of WeChat (${describeVia(via)}) to ${request.endpoint} is not JSON (content type ${response.contentType ?? 'unknown'}; a proxy or captive portal in between?).`,
			{ httpStatus, outcomeUnknown: isWrite, description: snippet, transient: true },
		);
	}
	const data = parsed as JsonObject;
	const errcode = readErrcode(data.errcode);
	if (errcode === undefined) {
		return exchangeFailure(
			request,
			`The answer of WeChat (${describeVia(via)}) to ${request.endpoint} holds an errcode that is not a number.`,
			{ httpStatus, outcomeUnknown: isWrite, description: snippet, transient: true },
		);
	}
	if (errcode !== 0) {
		const errmsg = typeof data.errmsg === 'string' ? quoteRedacted(data.errmsg, redact) : undefined;
		const answeredBy = via.left ? ` (answered by ${describeVia(via)})` : '';
		// -1 "system busy" on a write: WeChat may have acted on it before giving up.
		return exchangeFailure(request, `${formatErrcode(errcode, errmsg)}${answeredBy}`, {
			errcode,
			errmsg,
			msgId: typeof data.msg_id === 'string' ? data.msg_id : undefined,
			outcomeUnknown: isWrite && errcode === -1,
			transient: errcode === -1,
		});
	}
	const missing = request.expect?.find((field) => !isPresentId(data[field]));
	if (missing !== undefined) {
		return exchangeFailure(
			request,
			`WeChat (${describeVia(via)}) reported success for ${request.endpoint} but sent no ${missing}.`,
			{ httpStatus, outcomeUnknown: isWrite, description: snippet, transient: false },
		);
	}
	return { data };
}
