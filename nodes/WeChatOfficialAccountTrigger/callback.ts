import { MessageCrypto, WeChatCryptoError } from '../wechat/crypto';
import { MAX_ENVELOPE_BYTES, MAX_XML_BYTES, parseXmlMessage, readEnvelopeEncrypt, WeChatXmlError } from '../wechat/events';
import type { WeChatMessage } from '../wechat/events';
import { PLATFORM_PATHS } from '../wechat/platformPaths';
import { computeSignature, signaturesMatch } from '../wechat/signature';
import { routeMessage } from './routes';
import type { RoutedPush } from './routes';

/** The callback side of the credential. */
export interface CallbackAccount {
	appId: string;
	token: string;
	encodingAesKey: string;
}

/** A refusal: the HTTP status and a short reason, which never holds a secret. */
export interface Rejection {
	status: 400 | 401 | 403 | 409 | 413 | 503;
	reason: string;
	/**
	 * What to change when WeChat's own requests are refused this way (the credential or the
	 * server configuration is wrong): n8n's log says it, at most once a minute per trigger.
	 */
	fix?: string;
	/** No credential could make the request acceptable: not checked again after a credential reread. */
	final?: boolean;
}

export type Verdict<T> = T | Rejection;

export function isRejection<T extends object>(verdict: Verdict<T>): verdict is Rejection {
	return 'reason' in verdict;
}

type Query = Record<string, unknown>;

/** A query parameter given exactly once (a repeated one arrives as an array). */
function queryText(query: Query, name: string): string | undefined {
	const value = query[name];
	return typeof value === 'string' ? value : undefined;
}

const TIMESTAMP = /^\d{1,12}$/;

function reject(status: Rejection['status'], reason: string, fix?: string): Rejection {
	return fix === undefined ? { status, reason } : { status, reason, fix };
}

/** Where the values the fixes name are set on the WeChat platform. */
const SERVER_SETTINGS = PLATFORM_PATHS.messagePush;

const NO_TOKEN = reject(
	401,
	'cannot verify: the credential has no Callback Token (the Token of the server settings), which the trigger needs',
	`Copy the Token of ${SERVER_SETTINGS} into the credential's Callback Token.`,
);

/**
 * The signed query parameters, the signature `name` checked against `parts` (besides timestamp
 * and nonce), and the age of the timestamp: the checks GET and POST share.
 */
function verifyQuery(
	query: Query,
	token: string,
	name: 'signature' | 'msg_signature',
	parts: string[],
	maxTimestampAge: number,
	nowSeconds: number,
): Rejection | undefined {
	if (!token) return NO_TOKEN;
	const timestamp = queryText(query, 'timestamp');
	const nonce = queryText(query, 'nonce');
	const signature = queryText(query, name);
	if (timestamp === undefined || nonce === undefined) return reject(401, 'timestamp or nonce missing');
	if (signature === undefined) return reject(401, `${name} missing`);
	if (!signaturesMatch(computeSignature(token, timestamp, nonce, ...parts), signature)) {
		return reject(
			401,
			`${name} does not match`,
			`If these are WeChat's requests, the credential's Callback Token differs from the Token of ${SERVER_SETTINGS}: copy it again (spaces count).`,
		);
	}
	if (maxTimestampAge > 0) {
		if (!TIMESTAMP.test(timestamp)) return reject(400, 'timestamp is not a number');
		if (Math.abs(nowSeconds - Number(timestamp)) > maxTimestampAge) {
			return reject(
				401,
				'timestamp too old or in the future',
				'If these are WeChat\'s requests, this server\'s clock is off by more than the trigger\'s Max Timestamp Age: sync it (NTP).',
			);
		}
	}
	return undefined;
}

/** WeChat's URL check (GET): the `echostr` to answer when the signature holds. */
export function verifySetup(
	query: Query,
	account: CallbackAccount,
	maxTimestampAge: number,
	nowSeconds: number,
): Verdict<{ echostr: string }> {
	const refusal = verifyQuery(query, account.token, 'signature', [], maxTimestampAge, nowSeconds);
	if (refusal) return refusal;
	const echostr = queryText(query, 'echostr');
	if (echostr === undefined) return reject(400, 'echostr missing');
	return { echostr };
}

/**
 * One MessageCrypto per account as read from the credential: the key is derived once per read,
 * and a push finds it by the account object instead of building and hashing a string key.
 */
const cryptoOfAccounts = new WeakMap<CallbackAccount, MessageCrypto | WeChatCryptoError>();

function messageCryptoFor(account: CallbackAccount): MessageCrypto | WeChatCryptoError {
	let cached = cryptoOfAccounts.get(account);
	if (cached === undefined) {
		try {
			cached = new MessageCrypto(account.encodingAesKey, account.appId);
		} catch (error) {
			// The constructor throws nothing else: the key is its only fallible input.
			cached = error as WeChatCryptoError;
		}
		cryptoOfAccounts.set(account, cached);
	}
	return cached;
}

function xmlRejection(error: unknown): Rejection {
	if (error instanceof WeChatXmlError) {
		// Malformed or oversized input: no credential makes it acceptable, so it is not rechecked.
		return { ...(error.code === 'TOO_LARGE' ? reject(413, error.message) : reject(400, error.message)), final: true };
	}
	throw error;
}

function cryptoRejection(error: unknown): Rejection {
	if (!(error instanceof WeChatCryptoError)) throw error;
	// Only reached once msg_signature holds, so the sender knows the Token: the credential is wrong.
	if (error.code === 'APPID_MISMATCH') {
		return reject(
			403,
			'message was encrypted for another AppID than the credential\'s',
			`The credential's AppID is not this account's: copy the AppID of ${PLATFORM_PATHS.basicInfo}.`,
		);
	}
	return reject(
		400,
		`cannot decrypt the message (${error.code})`,
		`The credential's EncodingAESKey differs from the one of ${SERVER_SETTINGS} (a new 随机生成 changes it): copy its 43 characters again.`,
	);
}

/** A push as sent, before any credential is read: plain XML, or the `<Encrypt>` text of an envelope. */
export type InspectedPush = { mode: 'plain'; body: string } | { mode: 'aes'; encrypt: string };

function finalRejection(status: Rejection['status'], reason: string): Rejection {
	return { ...reject(status, reason), final: true };
}

/**
 * The checks a push must pass whatever the credential holds: encrypt_type, size, and in
 * compatible and safe mode the `<Encrypt>` text, taken by a bounded scan (nothing is parsed
 * before msg_signature holds). The raw request bytes are read, never n8n's own parse of them
 * (it lower-cases tags and drops arrays).
 */
export function inspectPush(query: Query, rawBody: Buffer | undefined): Verdict<InspectedPush> {
	const encryptType = queryText(query, 'encrypt_type');
	if (query.encrypt_type !== undefined && encryptType !== 'raw' && encryptType !== 'aes') {
		return finalRejection(400, 'encrypt_type must be raw or aes');
	}
	const limit = encryptType === 'aes' ? MAX_ENVELOPE_BYTES : MAX_XML_BYTES;
	if (rawBody !== undefined && rawBody.length > limit) {
		return finalRejection(413, `body is larger than ${limit} bytes`);
	}
	const body = rawBody === undefined ? '' : rawBody.toString('utf8');
	if (encryptType !== 'aes') return { mode: 'plain', body };
	if (queryText(query, 'msg_signature') === undefined) return finalRejection(401, 'msg_signature missing');
	try {
		return { mode: 'aes', encrypt: readEnvelopeEncrypt(body) };
	} catch (error) {
		return xmlRejection(error);
	}
}

export interface PushChecks {
	/** Plain pushes are taken although the credential has an EncodingAESKey. */
	acceptPlainPushes: boolean;
	maxTimestampAge: number;
	nowSeconds: number;
}

const DOWNGRADE = reject(
	403,
	'plain push refused: the credential has an EncodingAESKey, so this account\'s pushes must come encrypted (encrypt_type=aes). If the server configuration is in plain mode, turn on the option Accept Plain Pushes',
	`If ${SERVER_SETTINGS} is in 明文模式 (plain mode), every push is refused this way: switch it to 安全模式 (safe mode), or clear the credential's EncodingAESKey, or turn on the trigger's Accept Plain Pushes while you migrate.`,
);

function parsed(xml: string, authenticated: boolean): Verdict<{ message: WeChatMessage }> {
	try {
		return { message: parseXmlMessage(xml, { authenticated }) };
	} catch (error) {
		return xmlRejection(error);
	}
}

/**
 * A push (POST) checked against the account: signature or msg_signature and timestamp; no plain
 * push when the credential has an EncodingAESKey (unless accepted by option); then
 * decryption and AppID in compatible and safe mode, and only then the parse.
 */
export function verifyPush(
	query: Query,
	push: InspectedPush,
	account: CallbackAccount,
	checks: PushChecks,
): Verdict<{ message: WeChatMessage }> {
	const { maxTimestampAge, nowSeconds } = checks;
	if (push.mode === 'plain') {
		// Signature first: an unsigned plain push is refused as such, not taken for a plain-mode account.
		const refusal = verifyQuery(query, account.token, 'signature', [], maxTimestampAge, nowSeconds);
		if (refusal) return refusal;
		if (account.encodingAesKey !== '' && !checks.acceptPlainPushes) return DOWNGRADE;
		return parsed(push.body, false);
	}
	const refusal = verifyQuery(query, account.token, 'msg_signature', [push.encrypt], maxTimestampAge, nowSeconds);
	if (refusal) return refusal;
	const messageCrypto = messageCryptoFor(account);
	if (messageCrypto instanceof WeChatCryptoError) {
		return reject(
			400,
			`cannot decrypt: the EncodingAESKey of the credential is invalid (${messageCrypto.code}); copy the 43 characters of the server settings again`,
			`Copy the 43 characters of the EncodingAESKey of ${SERVER_SETTINGS} into the credential.`,
		);
	}
	let inner: string;
	try {
		inner = messageCrypto.decrypt(push.encrypt);
	} catch (error) {
		return cryptoRejection(error);
	}
	return parsed(inner, true);
}

/** The route of a verified message (routes.ts), or a refusal when a required field is missing. */
export function routePush(message: WeChatMessage, emitOtherEvents: boolean, version: number): Verdict<RoutedPush> | undefined {
	try {
		return routeMessage(message, emitOtherEvents, version);
	} catch (error) {
		return xmlRejection(error);
	}
}
