import { randomInt } from 'node:crypto';
import { request } from 'node:http';

import { MessageCrypto } from '../../nodes/wechat/crypto';
import { computeSignature } from '../../nodes/wechat/signature';
import type { PushMode, SandboxConfig } from './config';

/** The emulated account's original ID (ToUserName) and the publishing assistant's openid (FromUserName). */
export const ACCOUNT_ORIGINAL_ID = 'gh_4d00ed8d6399';
export const MPHELPER_OPENID = 'oV5CrjpxgaGXNHIQigzNlgLTnwic';

/** How `pushEvent` forges a push: a wrong signature or msg_signature, another AppID, or a stale (but signed) timestamp. */
export const PUSH_TAMPERS = ['signature', 'msg_signature', 'appid', 'timestamp'] as const;
export type PushTamper = (typeof PUSH_TAMPERS)[number];

export interface PushRequest {
	query: string;
	body: string;
}

export interface PushAnswer {
	/** 0 when no HTTP answer came (refused, reset, timed out). */
	status: number;
	body: string;
}

function cdata(text: string): string {
	return `<![CDATA[${text.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

function element(name: string, value: unknown): string {
	if (value === undefined || value === null) return '';
	if (Array.isArray(value)) return value.map((entry) => element(name, entry)).join('');
	if (typeof value === 'object') return `<${name}>${children(value as Record<string, unknown>)}</${name}>`;
	if (typeof value === 'string') return `<${name}>${cdata(value)}</${name}>`;
	// Numbers, and IDs given as bigint, go bare as WeChat writes them: <publish_id>2247503051</publish_id>.
	return `<${name}>${String(value)}</${name}>`;
}

function children(fields: Record<string, unknown>): string {
	return Object.entries(fields)
		.map(([name, value]) => element(name, value))
		.join('');
}

/** Object to WeChat XML: strings in CDATA, numbers and bigints bare, arrays as repeated elements. */
export function toXml(fields: Record<string, unknown>): string {
	return `<xml>${children(fields)}</xml>`;
}

/** The envelope fields WeChat puts on every push, before the event's own. */
export function envelope(fields: Record<string, unknown>): Record<string, unknown> {
	return {
		ToUserName: ACCOUNT_ORIGINAL_ID,
		FromUserName: MPHELPER_OPENID,
		CreateTime: Math.floor(Date.now() / 1000),
		...fields,
	};
}

/** Signs (and in compatible and safe mode encrypts) an XML message the way WeChat pushes it. */
export function signPush(
	xml: string,
	mode: PushMode,
	config: Pick<SandboxConfig, 'token' | 'encodingAesKey' | 'appId'>,
	tamper?: PushTamper,
): PushRequest {
	if (mode === 'plain' && (tamper === 'appid' || tamper === 'msg_signature')) {
		throw new TypeError(`tamper '${tamper}' needs compatible or safe mode`);
	}
	const now = Math.floor(Date.now() / 1000);
	const timestamp = String(tamper === 'timestamp' ? now - 3600 : now);
	const nonce = String(randomInt(100_000_000, 2_000_000_000));
	const openid = /<FromUserName><!\[CDATA\[([^\]]*)\]\]><\/FromUserName>/.exec(xml)?.[1] ?? MPHELPER_OPENID;
	const query = new URLSearchParams({
		signature: forged(computeSignature(config.token, timestamp, nonce), tamper === 'signature'),
		timestamp,
		nonce,
		openid,
	});
	if (mode === 'plain') return { query: query.toString(), body: xml };

	const appId = tamper === 'appid' ? 'wxffffffffffffffff' : config.appId;
	const encrypted = new MessageCrypto(config.encodingAesKey, appId).encrypt(xml);
	query.set('encrypt_type', 'aes');
	query.set(
		'msg_signature',
		forged(computeSignature(config.token, timestamp, nonce, encrypted), tamper === 'msg_signature'),
	);
	const encryptElement = `<Encrypt>${cdata(encrypted)}</Encrypt>`;
	const body =
		mode === 'safe'
			? `<xml><ToUserName>${cdata(ACCOUNT_ORIGINAL_ID)}</ToUserName>${encryptElement}</xml>`
			: xml.replace(/<\/xml>\s*$/, `${encryptElement}</xml>`);
	return { query: query.toString(), body };
}

function forged(signature: string, tamper: boolean): string {
	if (!tamper) return signature;
	return (signature[0] === '0' ? '1' : '0') + signature.slice(1);
}

/** One delivery: POST text/xml, wait at most `timeoutMs` for the whole answer. */
export function deliver(
	url: string,
	push: PushRequest,
	timeoutMs: number,
	signal: AbortSignal,
): Promise<PushAnswer> {
	return new Promise((resolve) => {
		const target = new URL(url);
		target.search = [target.search.slice(1), push.query].filter(Boolean).join('&');
		const payload = Buffer.from(push.body, 'utf8');
		const req = request(
			target,
			{
				method: 'POST',
				agent: false,
				signal,
				headers: {
					'Content-Type': 'text/xml',
					'Content-Length': payload.length,
					'User-Agent': 'Mozilla/4.0',
				},
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (chunk: Buffer) => chunks.push(chunk));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
				res.on('error', (error) => resolve({ status: 0, body: error.message }));
			},
		);
		req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
		req.on('error', (error) => resolve({ status: 0, body: error.message }));
		req.end(payload);
	});
}

/** WeChat tries a push three times in all when the answer fails or is slow. */
export const WECHAT_PUSH_TRIES = 3;

/**
 * One push delivered the way WeChat delivers it: each try waits `timeoutMs` (WeChat's 5 s) for an
 * answer; a try without a 200 answer is followed by the next, `timeoutMs` after the previous one
 * began (at once after a timeout, later after a refused connection), three tries in all.
 * `onTry` sees every answer; resolves with the last.
 */
export async function deliverLikeWeChat(
	url: string,
	push: PushRequest,
	timeoutMs: number,
	signal: AbortSignal,
	onTry: (answer: PushAnswer, attempt: number) => void = () => {},
): Promise<PushAnswer> {
	let answer: PushAnswer = { status: 0, body: 'not sent' };
	for (let attempt = 1; attempt <= WECHAT_PUSH_TRIES && !signal.aborted; attempt++) {
		const began = Date.now();
		answer = await deliver(url, push, timeoutMs, signal);
		onTry(answer, attempt);
		if (answer.status === 200) break;
		const wait = timeoutMs - (Date.now() - began);
		if (attempt < WECHAT_PUSH_TRIES && wait > 0) await pause(wait, signal);
	}
	return answer;
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
	return new Promise((resolve) => {
		const timer = setTimeout(done, ms);
		function done(): void {
			clearTimeout(timer);
			signal.removeEventListener('abort', done);
			resolve();
		}
		signal.addEventListener('abort', done, { once: true });
	});
}
