import { MessageCrypto } from '../../nodes/wechat/crypto';
import { MAX_XML_BYTES } from '../../nodes/wechat/events';
import { computeSignature } from '../../nodes/wechat/signature';
import { WeChatOfficialAccountTriggerV1 } from '../../nodes/WeChatOfficialAccountTrigger/WeChatOfficialAccountTrigger.node';
import { aesEncryptRaw, pkcs7Pad, plaintextLayout } from '../helpers/rawAes';
import {
	callWebhook,
	nowSeconds,
	signedPush,
	signedSetup,
	type CallbackSecrets,
	type WebhookContext,
	type WebhookRequest,
} from '../helpers/webhookFunctions';

// Every request here is refused: a 4xx, no workflowData at all, no secret in the answer; and
// the trigger takes the next valid push as if nothing had happened.
const trigger = new WeChatOfficialAccountTriggerV1();
const SECRETS: CallbackSecrets = {
	appId: 'wx5e1f00d5e1f00d00',
	token: 'hostile-callback-token-Q7',
	encodingAesKey: 'Q7abcdefghijklmnopqrstuvwxyz0123456789ABCDE',
};
const APP_SECRET = 'hostile-app-secret-9f8e7d6c5b4a';
const CREDENTIALS = { ...SECRETS, appSecret: APP_SECRET, baseUrl: 'http://127.0.0.1:1', authMode: 'stable' };
const SECRET_TEXTS = [
	SECRETS.token,
	SECRETS.encodingAesKey,
	APP_SECRET,
	Buffer.from(SECRETS.encodingAesKey + '=', 'base64').toString('hex'),
	Buffer.from(SECRETS.encodingAesKey + '=', 'base64').toString('latin1'),
];

/** Takes plain pushes too (so the plain cases below reach the check they are about). */
const CONTEXT: WebhookContext = {
	credentials: CREDENTIALS,
	parameters: { options: { acceptPlainPushes: true } },
	workflowId: 'wf-hostile',
	nodeId: 'node-hostile',
};
/** As installed: with an EncodingAESKey in the credential, only encrypted pushes are taken. */
const AES_ONLY: WebhookContext = { ...CONTEXT, parameters: {} };

const HEAD =
	'<ToUserName><![CDATA[gh_4d00ed8d6399]]></ToUserName><FromUserName><![CDATA[oV5CrjpxgaGXNHIQigzNlgLTnwic]]></FromUserName>' +
	'<CreateTime>1481013459</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[PUBLISHJOBFINISH]]></Event>';

function publishXml(publishId: string, status = 0): string {
	return `<xml>${HEAD}<PublishEventInfo><publish_id>${publishId}</publish_id><publish_status>${status}</publish_status></PublishEventInfo></xml>`;
}

const VALID = publishXml('2247503051');

/** A push whose query is signed for the body as sent, so only the spoiled part is wrong. */
function withQuery(request: WebhookRequest, change: (query: Record<string, unknown>) => void): WebhookRequest {
	const query = { ...request.query };
	change(query);
	return { ...request, query };
}

/** An aes push of `encrypted` with a correct msg_signature over it, in WeChat's safe envelope. */
function signedEncrypt(encrypted: string, timestamp = String(nowSeconds())): WebhookRequest {
	const nonce = '271828';
	return {
		method: 'POST',
		query: {
			signature: computeSignature(SECRETS.token, timestamp, nonce),
			msg_signature: computeSignature(SECRETS.token, timestamp, nonce, encrypted),
			timestamp,
			nonce,
			encrypt_type: 'aes',
		},
		rawBody: `<xml><ToUserName><![CDATA[gh_4d00ed8d6399]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`,
	};
}

/** An aes push whose decrypted text is `inner`, correctly signed. */
function encryptedInner(inner: string): WebhookRequest {
	return signedEncrypt(new MessageCrypto(SECRETS.encodingAesKey, SECRETS.appId).encrypt(inner));
}

const stale = { timestamp: String(nowSeconds() - 3600) };
const future = { timestamp: String(nowSeconds() + 3600) };
const BILLION_LAUGHS =
	'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
	'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><xml><Content>&lol3;</Content></xml>';
const XXE = '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><Content>&xxe;</Content></xml>';

type Case = [name: string, status: number, request: () => WebhookRequest | Promise<WebhookRequest>, context?: WebhookContext];

/** A push accepted first, then its signed URL (timestamp + nonce) reused for `body`. */
async function reusedSignedUrl(mode: 'plain' | 'safe', body: (genuine: WebhookRequest) => string): Promise<WebhookRequest> {
	const genuine = signedPush(publishXml(`genuine-${mode}-${Date.now()}`), mode, SECRETS);
	const accepted = await callWebhook(trigger, genuine, CONTEXT);
	expect(accepted.result.workflowData).toBeDefined();
	return { ...genuine, rawBody: body(genuine) };
}

const CASES: Case[] = [
	// Signatures, plain mode
	['no query at all', 401, () => ({ method: 'POST', query: {}, rawBody: VALID })],
	['no signature', 401, () => withQuery(signedPush(VALID, 'plain', SECRETS), (q) => delete q.signature)],
	['an empty signature', 401, () => withQuery(signedPush(VALID, 'plain', SECRETS), (q) => (q.signature = ''))],
	['a signature with one character changed', 401, () =>
		withQuery(signedPush(VALID, 'plain', SECRETS), (q) => (q.signature = String(q.signature).replace(/^./, (c) => (c === '0' ? '1' : '0'))))],
	['a signature in upper case', 401, () => withQuery(signedPush(VALID, 'plain', SECRETS), (q) => (q.signature = String(q.signature).toUpperCase()))],
	['a signature made with another token', 401, () => signedPush(VALID, 'plain', { ...SECRETS, token: 'guessed-token' })],
	['a signature given twice', 401, () => withQuery(signedPush(VALID, 'plain', SECRETS), (q) => (q.signature = [q.signature, q.signature]))],
	['a signature of the query without the token', 401, () =>
		withQuery(signedPush(VALID, 'plain', SECRETS), (q) => (q.signature = computeSignature(String(q.timestamp), String(q.nonce))))],
	['no timestamp', 401, () => withQuery(signedPush(VALID, 'plain', SECRETS), (q) => delete q.timestamp)],
	['no nonce', 401, () => withQuery(signedPush(VALID, 'plain', SECRETS), (q) => delete q.nonce)],
	['a nonce changed after signing', 401, () => withQuery(signedPush(VALID, 'plain', SECRETS), (q) => (q.nonce = '999'))],
	['a timestamp changed after signing', 401, () => withQuery(signedPush(VALID, 'plain', SECRETS), (q) => (q.timestamp = String(nowSeconds() - 1)))],
	// Replay
	['a stale timestamp, plain', 401, () => signedPush(VALID, 'plain', SECRETS, stale)],
	['a future timestamp, plain', 401, () => signedPush(VALID, 'plain', SECRETS, future)],
	['a stale timestamp, safe', 401, () => signedPush(VALID, 'safe', SECRETS, stale)],
	['a future timestamp, compatible', 401, () => signedPush(VALID, 'compatible', SECRETS, future)],
	['a signed timestamp that is not a number', 400, () => signedPush(VALID, 'plain', SECRETS, { timestamp: '1e9' })],
	// encrypt_type
	['encrypt_type des', 400, () => withQuery(signedPush(VALID, 'plain', SECRETS), (q) => (q.encrypt_type = 'des'))],
	['encrypt_type AES in upper case', 400, () => withQuery(signedPush(VALID, 'safe', SECRETS), (q) => (q.encrypt_type = 'AES'))],
	['an empty encrypt_type', 400, () => withQuery(signedPush(VALID, 'plain', SECRETS), (q) => (q.encrypt_type = ''))],
	['encrypt_type given twice', 400, () => withQuery(signedPush(VALID, 'safe', SECRETS), (q) => (q.encrypt_type = ['aes', 'raw']))],
	// Bodies, plain mode (correctly signed: the plain signature does not cover the body)
	['a body over 1 MiB', 413, () => signedPush(`<xml><Content>${'x'.repeat(MAX_XML_BYTES)}</Content></xml>`, 'plain', SECRETS)],
	['an empty body', 400, () => signedPush('', 'plain', SECRETS)],
	['no body bytes at all', 400, () => ({ ...signedPush(VALID, 'plain', SECRETS), rawBody: undefined })],
	['only whitespace', 400, () => signedPush(' \r\n ', 'plain', SECRETS)],
	['malformed XML', 400, () => signedPush(`<xml>${HEAD}<PublishEventInfo>`, 'plain', SECRETS)],
	['mismatched tags', 400, () => signedPush('<xml><A>1</B></xml>', 'plain', SECRETS)],
	['a DOCTYPE', 400, () => signedPush(`<!DOCTYPE xml>${VALID}`, 'plain', SECRETS)],
	['a billion laughs', 400, () => signedPush(BILLION_LAUGHS, 'plain', SECRETS)],
	['an external entity', 400, () => signedPush(XXE, 'plain', SECRETS)],
	['JSON', 400, () => signedPush('{"publish_id":"1","publish_status":0}', 'plain', SECRETS)],
	['plain text', 400, () => signedPush('success', 'plain', SECRETS)],
	['bytes that are not UTF-8 text', 400, () => ({ ...signedPush(VALID, 'plain', SECRETS), rawBody: Buffer.from([0xff, 0xfe, 0x00, 0x3c, 0x80, 0x81]) })],
	['a root other than <xml>', 400, () => signedPush(VALID.replace(/^<xml>/, '<root>').replace(/<\/xml>$/, '</root>'), 'plain', SECRETS)],
	['two roots', 400, () => signedPush(VALID + VALID, 'plain', SECRETS)],
	['a tag named __proto__', 400, () => signedPush('<xml><__proto__><isAdmin>1</isAdmin></__proto__></xml>', 'plain', SECRETS)],
	['PUBLISHJOBFINISH without publish_id', 400, () =>
		signedPush(`<xml>${HEAD}<PublishEventInfo><publish_status>0</publish_status></PublishEventInfo></xml>`, 'plain', SECRETS)],
	['PUBLISHJOBFINISH without publish_status', 400, () =>
		signedPush(`<xml>${HEAD}<PublishEventInfo><publish_id>1</publish_id></PublishEventInfo></xml>`, 'plain', SECRETS)],
	['PUBLISHJOBFINISH without PublishEventInfo', 400, () => signedPush(`<xml>${HEAD}</xml>`, 'plain', SECRETS)],
	['PUBLISHJOBFINISH with a publish_status that is not a number', 400, () => signedPush(publishXml('1', 'ok' as unknown as number), 'plain', SECRETS)],
	['PUBLISHJOBFINISH with a fail_idx that is not a number', 400, () =>
		signedPush(publishXml('1', 2).replace('</PublishEventInfo>', '<fail_idx>first</fail_idx></PublishEventInfo>'), 'plain', SECRETS)],
	// Compatible and safe mode
	['aes without msg_signature', 401, () => withQuery(signedPush(VALID, 'safe', SECRETS), (q) => delete q.msg_signature)],
	['aes with a wrong msg_signature', 401, () => withQuery(signedPush(VALID, 'safe', SECRETS), (q) => (q.msg_signature = '0'.repeat(40)))],
	['aes with the plain signature as msg_signature', 401, () => withQuery(signedPush(VALID, 'safe', SECRETS), (q) => (q.msg_signature = q.signature))],
	['aes with the Encrypt of another push', 401, () => {
		const original = signedPush(VALID, 'safe', SECRETS);
		return { ...original, rawBody: signedPush(publishXml('666'), 'safe', SECRETS).rawBody };
	}],
	['aes signed with another token', 401, () => signedPush(VALID, 'compatible', { ...SECRETS, token: 'guessed-token' })],
	['aes with a plain body', 400, () => withQuery(signedPush(VALID, 'plain', SECRETS), (q) => { q.encrypt_type = 'aes'; q.msg_signature = q.signature; })],
	['aes with an empty Encrypt', 400, () => signedEncrypt('')],
	['aes with an Encrypt that is not base64', 400, () => signedEncrypt('not*base64!')],
	['aes with a truncated ciphertext', 400, () =>
		signedEncrypt(new MessageCrypto(SECRETS.encodingAesKey, SECRETS.appId).encrypt(VALID).slice(0, -8))],
	['aes with a ciphertext cut by one AES block', 400, () => {
		const data = Buffer.from(new MessageCrypto(SECRETS.encodingAesKey, SECRETS.appId).encrypt(VALID), 'base64');
		return signedEncrypt(data.subarray(0, data.length - 16).toString('base64'));
	}],
	['aes with bad padding', 400, () =>
		signedEncrypt(aesEncryptRaw(SECRETS.encodingAesKey, Buffer.concat([plaintextLayout(Buffer.from(VALID), SECRETS.appId), Buffer.alloc(32 - ((38 + VALID.length) % 32), 0)])))],
	['aes with a length beyond the plaintext', 400, () =>
		signedEncrypt(aesEncryptRaw(SECRETS.encodingAesKey, pkcs7Pad(plaintextLayout(Buffer.from(VALID), SECRETS.appId, 1 << 30))))],
	['aes encrypted for another AppID', 403, () => signedPush(VALID, 'safe', { ...SECRETS, appId: 'wx0000000000000000' })],
	['aes encrypted with another EncodingAESKey', 400, () => signedPush(VALID, 'safe', { ...SECRETS, encodingAesKey: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopq' })],
	['aes with a DOCTYPE in the envelope', 400, () => {
		const push = signedPush(VALID, 'safe', SECRETS);
		return { ...push, rawBody: `<!DOCTYPE xml [<!ENTITY e "x">]>${String(push.rawBody)}` };
	}],
	['aes with a malformed envelope', 400, () => {
		const push = signedPush(VALID, 'safe', SECRETS);
		return { ...push, rawBody: String(push.rawBody).replace('</xml>', '') };
	}],
	['aes with an envelope over 1 MiB', 413, () => {
		const push = signedPush(VALID, 'compatible', SECRETS);
		return { ...push, rawBody: String(push.rawBody).replace('</xml>', `<Pad>${'p'.repeat(MAX_XML_BYTES)}</Pad></xml>`) };
	}],
	['aes whose decrypted text holds a DOCTYPE', 400, () => encryptedInner(XXE)],
	['aes whose decrypted text is a billion laughs', 400, () => encryptedInner(BILLION_LAUGHS)],
	['aes whose decrypted text is not XML', 400, () => encryptedInner('hello, not xml')],
	['aes whose decrypted text has another root', 400, () => encryptedInner('<root><A>1</A></root>')],
	['aes whose decrypted PUBLISHJOBFINISH lacks publish_status', 400, () =>
		encryptedInner(`<xml>${HEAD}<PublishEventInfo><publish_id>1</publish_id></PublishEventInfo></xml>`)],
	['a stale aes push signed with msg_signature', 401, () =>
		signedEncrypt(new MessageCrypto(SECRETS.encodingAesKey, SECRETS.appId).encrypt(VALID), stale.timestamp)],
	// The credential
	['aes while the credential holds an EncodingAESKey of 42 characters', 400, () => signedPush(VALID, 'safe', SECRETS),
		{ ...CONTEXT, credentials: { ...CREDENTIALS, encodingAesKey: SECRETS.encodingAesKey.slice(0, 42) } }],
	['aes while the credential holds an EncodingAESKey with "-"', 400, () => signedPush(VALID, 'safe', SECRETS),
		{ ...CONTEXT, credentials: { ...CREDENTIALS, encodingAesKey: '-' + SECRETS.encodingAesKey.slice(1) } }],
	['a push while the credential has no Token', 401, () => signedPush(VALID, 'plain', SECRETS),
		{ ...CONTEXT, credentials: { ...CREDENTIALS, token: '' } }],
	// Downgrade: a safe-mode URL (or a plain one) with a plain body, to an account with an EncodingAESKey
	['a safe-mode URL with encrypt_type and msg_signature removed, and a plain body', 403, () =>
		withQuery({ ...signedPush(VALID, 'safe', SECRETS), rawBody: publishXml('forged-downgrade') }, (q) => { delete q.encrypt_type; delete q.msg_signature; }), AES_ONLY],
	['a safe-mode URL with encrypt_type=raw, and a plain body', 403, () =>
		withQuery({ ...signedPush(VALID, 'safe', SECRETS), rawBody: publishXml('forged-raw') }, (q) => { q.encrypt_type = 'raw'; delete q.msg_signature; }), AES_ONLY],
	['a correctly signed plain push', 403, () => signedPush(VALID, 'plain', SECRETS), AES_ONLY],
	// A signed URL reused for another body within the timestamp window
	['a plain signed URL reused with another body', 409, () => reusedSignedUrl('plain', () => publishXml('forged-reuse'))],
	['a safe signed URL reused with another plain body', 403, () =>
		reusedSignedUrl('safe', () => publishXml('forged-reuse-safe')).then((request) =>
			withQuery(request, (q) => { delete q.encrypt_type; delete q.msg_signature; })), AES_ONLY],
	// Floods
	['a 1 MiB aes body of one Encrypt', 413, () => {
		const push = signedPush(VALID, 'safe', SECRETS);
		return { ...push, rawBody: `<xml><Encrypt><![CDATA[${'A'.repeat(MAX_XML_BYTES - 40)}]]></Encrypt></xml>` };
	}],
	['a 1 MiB aes body of many elements, unsigned', 413, () =>
		withQuery({ ...signedPush(VALID, 'safe', SECRETS), rawBody: `<xml>${'<A>1</A>'.repeat(MAX_XML_BYTES / 8 - 2)}</xml>` }, (q) => (q.msg_signature = '0'.repeat(40)))],
	// URL verification (GET)
	['a GET with a wrong signature', 401, () => withQuery(signedSetup('echo', SECRETS), (q) => (q.signature = '1'.repeat(40)))],
	['a GET without echostr', 400, () => withQuery(signedSetup('echo', SECRETS), (q) => delete q.echostr)],
	['a stale GET', 401, () => signedSetup('echo', SECRETS, stale)],
];

describe('hostile requests', () => {
	it('are at least 40 distinct cases', () => {
		expect(CASES.length).toBeGreaterThanOrEqual(40);
		expect(new Set(CASES.map(([name]) => name)).size).toBe(CASES.length);
	});

	let validCount = 0;
	it.each(CASES)('refuse %s with %i, and the next valid push is accepted', async (_name, status, request, context = CONTEXT) => {
		const call = await callWebhook(trigger, await request(), context);
		expect(call.response.status).toBe(status);
		expect(call.response.sends).toBe(1);
		expect(call.result).toStrictEqual({ noWebhookResponse: true });
		expect(call.result.workflowData).toBeUndefined();
		const answer = `${call.response.body ?? ''}\n${call.warnings.join('\n')}`;
		expect(call.response.body?.length).toBeGreaterThan(0);
		expect(call.response.body?.length).toBeLessThan(300);
		for (const secret of SECRET_TEXTS) expect(answer).not.toContain(secret);

		validCount++;
		const next = await callWebhook(trigger, signedPush(publishXml(`next-${validCount}`), validCount % 2 ? 'safe' : 'plain', SECRETS), CONTEXT);
		expect(next.response).toMatchObject({ status: 200, body: 'success' });
		expect(next.n8nAnswered).toBe(true);
		if (context === AES_ONLY) {
			const nextSafe = await callWebhook(trigger, signedPush(publishXml(`next-safe-${validCount}`), 'safe', SECRETS), AES_ONLY);
			expect(nextSafe.result.workflowData?.[0]).toHaveLength(1);
		}
		expect(next.result.workflowData?.[0]).toHaveLength(1);
	});
});
