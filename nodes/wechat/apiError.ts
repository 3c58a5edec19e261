/**
 * Errors of WeChat calls and what keeps secrets out of them: every text an error quotes is
 * redacted first and only then cut to length, so no secret is ever cut in half (and kept).
 */

export interface WeChatApiErrorDetails {
	errcode?: number;
	errmsg?: string;
	/** The msg_id an errcode answer carried: with 45065, the earlier mass send of this clientmsgid. */
	msgId?: string;
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

	readonly msgId?: string;

	readonly httpStatus?: number;

	readonly outcomeUnknown: boolean;

	readonly description?: string;

	readonly endpoint?: string;

	constructor(message: string, details: WeChatApiErrorDetails = {}) {
		super(message);
		this.name = 'WeChatApiError';
		this.errcode = details.errcode;
		this.errmsg = details.errmsg;
		this.msgId = details.msgId;
		this.httpStatus = details.httpStatus;
		this.outcomeUnknown = details.outcomeUnknown ?? false;
		this.description = details.description;
		this.endpoint = details.endpoint;
	}
}

export const UNKNOWN_OUTCOME_ADVICE =
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

/** The longest outside text (an answer's body, an errmsg, a Location) an error quotes. */
export const QUOTE_LENGTH = 200;

/**
 * The one way an error quotes outside text: `scrub` runs over the whole text first, and only
 * then is it cut, so a secret near the cut is never half kept.
 */
export function quoteRedacted(text: string, scrub: (text: string) => string, maxLength = QUOTE_LENGTH): string {
	const scrubbed = scrub(text);
	return scrubbed.length > maxLength ? `${scrubbed.slice(0, maxLength)}…` : scrubbed;
}

export function errorMessage(error: unknown): string {
	if (error instanceof Error) return error.message;
	return typeof error === 'string' ? error : 'unknown error';
}
