/**
 * What a signed URL may carry: no plain push when the credential has an EncodingAESKey (unless the
 * account is in plain mode and says so), one body per signed URL, nothing parsed or reread for
 * input no credential could accept.
 */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { ACCOUNT_REREAD_INTERVAL_MS } from '../../nodes/WeChatOfficialAccountTrigger/accountCache';
import { SignedUrlLog } from '../../nodes/WeChatOfficialAccountTrigger/deliveryLog';
import { WeChatOfficialAccountTriggerV1 } from '../../nodes/WeChatOfficialAccountTrigger/WeChatOfficialAccountTrigger.node';
import * as events from '../../nodes/wechat/events';
import {
	callWebhook,
	createWebhookFunctions,
	RecordedResponse,
	signedPush,
	type CallbackSecrets,
	type WebhookContext,
	type WebhookRequest,
} from '../helpers/webhookFunctions';

const trigger = new WeChatOfficialAccountTriggerV1();
const SECRETS: CallbackSecrets = {
	appId: 'wx0123456789abcdef',
	token: 'integrity-callback-token',
	encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
};
const CREDENTIALS = { ...SECRETS, appSecret: 'never-shown', baseUrl: 'http://127.0.0.1:1' };

let nodeCount = 0;
function node(options: IDataObject = {}, credentials: ICredentialDataDecryptedObject = CREDENTIALS): WebhookContext {
	nodeCount++;
	return { credentials, parameters: { options }, workflowId: 'wf-integrity', nodeId: `node-${nodeCount}` };
}

function publishXml(publishId: string, status = 0, articleUrl = 'https://mp.weixin.qq.com/s/real'): string {
	return (
		'<xml><ToUserName><![CDATA[gh_4d00ed8d6399]]></ToUserName><FromUserName><![CDATA[oV5CrjpxgaGXNHIQigzNlgLTnwic]]></FromUserName>' +
		'<CreateTime>1481013459</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[PUBLISHJOBFINISH]]></Event>' +
		`<PublishEventInfo><publish_id>${publishId}</publish_id><publish_status>${status}</publish_status>` +
		`<article_detail><count>1</count><item><idx>1</idx><article_url><![CDATA[${articleUrl}]]></article_url></item></article_detail>` +
		'</PublishEventInfo></xml>'
	);
}

/** The request with its query changed as an attacker holding a signed URL would. */
function withQuery(request: WebhookRequest, change: (query: Record<string, unknown>) => void): WebhookRequest {
	const query = { ...request.query };
	change(query);
	return { ...request, query };
}

describe('no downgrade', () => {
	it('refuses a plain push when the credential has an EncodingAESKey, and starts nothing', async () => {
		const context = node();
		for (const encryptType of [undefined, 'raw']) {
			const request = withQuery(signedPush(publishXml('1'), 'plain', SECRETS), (q) => {
				if (encryptType) q.encrypt_type = encryptType;
			});
			const call = await callWebhook(trigger, request, context);
			expect(call.response).toMatchObject({ status: 403, sends: 1 });
			expect(call.response.body).toMatch(/Accept Plain Pushes/);
			expect(call.result).toStrictEqual({ noWebhookResponse: true });
		}
		expect((await callWebhook(trigger, signedPush(publishXml('1'), 'safe', SECRETS), context)).result.workflowData).toBeDefined();
	});

	it('refuses a safe-mode URL stripped of encrypt_type and msg_signature, carrying a forged plain body', async () => {
		const context = node();
		const genuine = signedPush(publishXml('2'), 'safe', SECRETS);
		const forged = withQuery({ ...genuine, rawBody: publishXml('3', 0, 'https://phishing.example/') }, (q) => {
			delete q.encrypt_type;
			delete q.msg_signature;
		});
		const call = await callWebhook(trigger, forged, context);
		expect(call.response.status).toBe(403);
		expect(call.result.workflowData).toBeUndefined();
		expect((await callWebhook(trigger, genuine, context)).result.workflowData).toBeDefined();
	});

	it('takes plain pushes with acceptPlainPushes, or when the credential has no EncodingAESKey', async () => {
		const plain = () => signedPush(publishXml('4'), 'plain', SECRETS);
		expect((await callWebhook(trigger, plain(), node({ acceptPlainPushes: true }))).result.workflowData).toBeDefined();
		const noKey = { ...CREDENTIALS, encodingAesKey: '' };
		expect((await callWebhook(trigger, plain(), node({}, noKey))).result.workflowData).toBeDefined();
	});
});

describe('a signed URL carries one body', () => {
	it('refuses the same timestamp and nonce with another body (409), within the window', async () => {
		const context = node({ acceptPlainPushes: true });
		const genuine = signedPush(publishXml('10'), 'plain', SECRETS);
		expect((await callWebhook(trigger, genuine, context)).result.workflowData).toBeDefined();
		const reused = { ...genuine, rawBody: publishXml('11', 0, 'https://phishing.example/') };
		const call = await callWebhook(trigger, reused, context);
		expect(call.response).toMatchObject({ status: 409, sends: 1 });
		expect(call.result).toStrictEqual({ noWebhookResponse: true });
		// The next genuine push goes through.
		expect((await callWebhook(trigger, signedPush(publishXml('12'), 'plain', SECRETS), context)).result.workflowData).toBeDefined();
	});

	it('answers the same URL with the same bytes as a retry: success, no run', async () => {
		const context = node({ acceptPlainPushes: true });
		const genuine = signedPush(publishXml('20'), 'plain', SECRETS);
		expect((await callWebhook(trigger, genuine, context)).result.workflowData).toBeDefined();
		const retry = await callWebhook(trigger, genuine, context);
		expect(retry.response).toMatchObject({ status: 200, body: 'success', contentType: 'text/plain' });
		expect(retry.result).toStrictEqual({ noWebhookResponse: true });
	});

	it('is remembered per trigger node', async () => {
		const genuine = signedPush(publishXml('30'), 'plain', SECRETS);
		expect((await callWebhook(trigger, genuine, node({ acceptPlainPushes: true }))).result.workflowData).toBeDefined();
		const other = { ...genuine, rawBody: publishXml('31') };
		expect((await callWebhook(trigger, other, node({ acceptPlainPushes: true }))).result.workflowData).toBeDefined();
	});

	it('SignedUrlLog forgets a URL once its timestamp window is over, and stays bounded', () => {
		const log = new SignedUrlLog();
		expect(log.remember('s', 'u', 'h1', 1000, 5000)).toBe('new');
		expect(log.remember('s', 'u', 'h1', 2000, 5000)).toBe('same');
		expect(log.remember('s', 'u', 'h2', 4999, 5000)).toBe('other');
		expect(log.remember('s', 'u', 'h2', 5000, 9000)).toBe('new');
		for (let i = 0; i < 20_000; i++) log.remember('s', `url-${i}`, 'h', 6000, 60_000);
		// The oldest of the 20,000 were evicted at the entry bound: remembered anew.
		expect(log.remember('s', 'url-0', 'other', 6000, 60_000)).toBe('new');
		expect(log.remember('s', 'url-19999', 'other', 6000, 60_000)).toBe('other');
	});
});

describe('verify before parsing', () => {
	it('refuses an aes envelope over the cap with 413 without parsing or reading the credential', async () => {
		const parse = jest.spyOn(events, 'parseXmlMessage');
		let reads = 0;
		const context = node();
		const request = signedPush(publishXml('40'), 'safe', SECRETS);
		const big = { ...request, rawBody: String(request.rawBody).replace('</xml>', `<Pad>${'p'.repeat(events.MAX_ENVELOPE_BYTES)}</Pad></xml>`) };
		const response = new RecordedResponse();
		const { functions } = createWebhookFunctions(big, context, response);
		functions.getCredentials = (async () => {
			reads++;
			return CREDENTIALS;
		}) as typeof functions.getCredentials;
		const result = await trigger.webhook.call(functions);
		expect(response.status).toBe(413);
		expect(result).toStrictEqual({ noWebhookResponse: true });
		expect(reads).toBe(0);
		expect(parse).not.toHaveBeenCalled();
		parse.mockRestore();
	});

	it('checks msg_signature before it decrypts or parses anything', async () => {
		const parse = jest.spyOn(events, 'parseXmlMessage');
		const request = withQuery(signedPush(publishXml('41'), 'compatible', SECRETS), (q) => (q.msg_signature = '0'.repeat(40)));
		const call = await callWebhook(trigger, request, node());
		expect(call.response.status).toBe(401);
		expect(parse).not.toHaveBeenCalled();
		parse.mockRestore();
	});

	it('does not reread the credential for a malformed push', async () => {
		jest.useFakeTimers({ now: Date.now(), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
		try {
			const context = node({ acceptPlainPushes: true });
			let reads = 0;
			const send = async (request: WebhookRequest) => {
				const { functions } = createWebhookFunctions(request, context);
				functions.getCredentials = (async () => {
					reads++;
					return CREDENTIALS;
				}) as typeof functions.getCredentials;
				return await trigger.webhook.call(functions);
			};
			await send(signedPush(publishXml('42'), 'safe', SECRETS));
			expect(reads).toBe(1);
			jest.setSystemTime(Date.now() + ACCOUNT_REREAD_INTERVAL_MS);
			await send(signedPush('<xml><A>1</B></xml>', 'plain', SECRETS));
			await send(signedPush(`<xml><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[PUBLISHJOBFINISH]]></Event></xml>`, 'safe', SECRETS));
			expect(reads).toBe(1);
			// A refusal the credential may explain (a wrong signature) still rereads it.
			await send(signedPush(publishXml('43'), 'safe', { ...SECRETS, token: 'changed' }));
			expect(reads).toBe(2);
		} finally {
			jest.useRealTimers();
		}
	});
});
