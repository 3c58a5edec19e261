import { MessageCrypto, WeChatCryptoError } from '../wechat/crypto';
import {
	isPublishEvent,
	MAX_XML_BYTES,
	parseXmlMessage,
	PublishOutput,
	publishOutputIndex,
	readEnvelopeEncrypt,
	toMessageItem,
	toPublishEventItem,
	WeChatXmlError,
} from '../wechat/events';
import type { WeChatMessage } from '../wechat/events';
import { computeSignature, signaturesMatch } from '../wechat/signature';

/** The callback side of the credential. */
export interface CallbackAccount {
	appId: string;
	token: string;
	encodingAesKey: string;
}

/** A refusal: the HTTP status and a short reason, which never holds a secret. */
export interface Rejection {
	status: 400 | 401 | 403 | 413;
	reason: string;
	/** The credential, not the request, is at fault: worth a warning in n8n's log. */
	misconfigured?: boolean;
}

export type Verdict<T> = T | Rejection;

export function isRejection<T extends object>(verdict: Verdict<T>): verdict is Rejection {
	return 'reason' in verdict;
}

/** A verified push's item, the output it goes to and the key that makes a retry a duplicate. */
export interface RoutedPush {
	output: number;
	item: Record<string, unknown>;
	deliveryKey: string;
}

type Query = Record<string, unknown>;

/** A query parameter given exactly once (a repeated one arrives as an array). */
function queryText(query: Query, name: string): string | undefined {
	const value = query[name];
	return typeof value === 'string' ? value : undefined;
}

const TIMESTAMP = /^\d{1,12}$/;

function reject(status: Rejection['status'], reason: string, misconfigured = false): Rejection {
	return misconfigured ? { status, reason, misconfigured } : { status, reason };
}

const NO_TOKEN = reject(
	401,
	'cannot verify: the credential has no Callback Token (the Token of the server settings), which the trigger needs',
	true,
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
		return reject(401, `${name} does not match`);
	}
	if (maxTimestampAge > 0) {
		if (!TIMESTAMP.test(timestamp)) return reject(400, 'timestamp is not a number');
		if (Math.abs(nowSeconds - Number(timestamp)) > maxTimestampAge) {
			return reject(401, 'timestamp too old or in the future');
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

/** One MessageCrypto per credential (AppID and EncodingAESKey): the key is derived once. */
const cryptoCache = new Map<string, MessageCrypto | WeChatCryptoError>();
const CRYPTO_CACHE_SIZE = 64;

function messageCryptoFor(account: CallbackAccount): MessageCrypto | WeChatCryptoError {
	const cacheKey = `${account.appId}\n${account.encodingAesKey}`;
	let cached = cryptoCache.get(cacheKey);
	if (cached === undefined) {
		try {
			cached = new MessageCrypto(account.encodingAesKey, account.appId);
		} catch (error) {
			// The constructor throws nothing else: the key is its only fallible input.
			cached = error as WeChatCryptoError;
		}
		cryptoCache.set(cacheKey, cached);
		if (cryptoCache.size > CRYPTO_CACHE_SIZE) cryptoCache.delete(cryptoCache.keys().next().value as string);
	}
	return cached;
}

function xmlRejection(error: unknown): Rejection {
	if (error instanceof WeChatXmlError) {
		return error.code === 'TOO_LARGE' ? reject(413, error.message) : reject(400, error.message);
	}
	throw error;
}

function cryptoRejection(error: unknown): Rejection {
	if (!(error instanceof WeChatCryptoError)) throw error;
	if (error.code === 'APPID_MISMATCH') {
		return reject(403, 'message was encrypted for another AppID than the credential\'s');
	}
	return reject(400, `cannot decrypt the message (${error.code})`);
}

function decryptPush(
	query: Query,
	body: string,
	account: CallbackAccount,
	maxTimestampAge: number,
	nowSeconds: number,
): Verdict<{ message: WeChatMessage }> {
	if (queryText(query, 'msg_signature') === undefined) return reject(401, 'msg_signature missing');
	let encrypted: string;
	try {
		encrypted = readEnvelopeEncrypt(body);
	} catch (error) {
		return xmlRejection(error);
	}
	const refusal = verifyQuery(query, account.token, 'msg_signature', [encrypted], maxTimestampAge, nowSeconds);
	if (refusal) return refusal;
	const messageCrypto = messageCryptoFor(account);
	if (messageCrypto instanceof WeChatCryptoError) {
		return reject(
			400,
			`cannot decrypt: the EncodingAESKey of the credential is invalid (${messageCrypto.code}); copy the 43 characters of the server settings again`,
			true,
		);
	}
	let inner: string;
	try {
		inner = messageCrypto.decrypt(encrypted);
	} catch (error) {
		return cryptoRejection(error);
	}
	try {
		return { message: parseXmlMessage(inner, { authenticated: true }) };
	} catch (error) {
		return xmlRejection(error);
	}
}

/**
 * A push (POST): verified, decrypted in compatible and safe mode, parsed. The raw request bytes
 * are read, never n8n's own parse of them (it lower-cases tags and drops arrays).
 */
export function readPush(
	query: Query,
	rawBody: Buffer | undefined,
	account: CallbackAccount,
	maxTimestampAge: number,
	nowSeconds: number,
): Verdict<{ message: WeChatMessage }> {
	const encryptType = queryText(query, 'encrypt_type');
	if (query.encrypt_type !== undefined && encryptType !== 'raw' && encryptType !== 'aes') {
		return reject(400, 'encrypt_type must be raw or aes');
	}
	if (rawBody !== undefined && rawBody.length > MAX_XML_BYTES) {
		return reject(413, `body is larger than ${MAX_XML_BYTES} bytes`);
	}
	const body = rawBody === undefined ? '' : rawBody.toString('utf8');
	if (encryptType === 'aes') return decryptPush(query, body, account, maxTimestampAge, nowSeconds);

	const refusal = verifyQuery(query, account.token, 'signature', [], maxTimestampAge, nowSeconds);
	if (refusal) return refusal;
	try {
		return { message: parseXmlMessage(body) };
	} catch (error) {
		return xmlRejection(error);
	}
}

/** Publish results to their output by status; other messages to Other, or nowhere (undefined). */
export function routePush(message: WeChatMessage, emitOtherEvents: boolean): Verdict<RoutedPush> | undefined {
	if (isPublishEvent(message)) {
		let item;
		try {
			item = toPublishEventItem(message);
		} catch (error) {
			return xmlRejection(error);
		}
		return {
			output: publishOutputIndex(item.publish_status),
			item,
			deliveryKey: JSON.stringify(['publish', item.publish_id, item.publish_status]),
		};
	}
	if (!emitOtherEvents) return undefined;
	const msgId = message.MsgId;
	return {
		output: PublishOutput.Other,
		item: toMessageItem(message),
		deliveryKey:
			typeof msgId === 'string' && msgId !== ''
				? JSON.stringify(['message', msgId])
				: JSON.stringify(['event', message.FromUserName, message.CreateTime, message.Event]),
	};
}
