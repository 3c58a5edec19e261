import { MessageCrypto } from '../../nodes/wechat/crypto';
import { DeliveryLog } from '../../nodes/WeChatOfficialAccountTrigger/deliveryLog';
import { WeChatOfficialAccountTriggerV1 } from '../../nodes/WeChatOfficialAccountTrigger/WeChatOfficialAccountTrigger.node';
import {
	callWebhook,
	createWebhookFunctions,
	nowSeconds,
	signedPush,
	signedSetup,
	type CallbackSecrets,
	type MessageMode,
	type WebhookCall,
	type WebhookContext,
	type WebhookRequest,
} from '../helpers/webhookFunctions';

const trigger = new WeChatOfficialAccountTriggerV1();
const SECRETS: CallbackSecrets = {
	appId: 'wx0123456789abcdef',
	token: 'trigger-callback-token',
	encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
};
const CREDENTIALS = { ...SECRETS, appSecret: 'app-secret-never-shown', baseUrl: 'http://127.0.0.1:1', authMode: 'stable' };
const MODES: MessageMode[] = ['plain', 'compatible', 'safe'];
const OUTPUTS = ['Published', 'Failed', 'Removed', 'Other'];

let nodeCount = 0;
/**
 * A context of its own node, so the deliveries other tests recorded do not count as duplicates.
 * Its pushes come in all three modes, so it accepts plain pushes although the credential has an
 * EncodingAESKey, unless the options say otherwise (see "no downgrade").
 */
function freshNode(parameters: WebhookContext['parameters'] = {}): WebhookContext {
	nodeCount++;
	const options = { acceptPlainPushes: true, ...(parameters.options as object | undefined) };
	return { credentials: CREDENTIALS, parameters: { ...parameters, options }, workflowId: 'wf-trigger-test', nodeId: `node-${nodeCount}` };
}

interface PublishPush {
	publishId?: string;
	status: number;
	failIdx?: number[];
	articles?: string[];
	articleId?: string;
	createTime?: number;
}

function publishXml(push: PublishPush): string {
	const articles = push.articles
		? `<article_detail><count>${push.articles.length}</count>${push.articles
				.map((url, i) => `<item><idx>${i + 1}</idx><article_url><![CDATA[${url}]]></article_url></item>`)
				.join('')}</article_detail>`
		: '';
	return (
		'<xml><ToUserName><![CDATA[gh_4d00ed8d6399]]></ToUserName>' +
		'<FromUserName><![CDATA[oV5CrjpxgaGXNHIQigzNlgLTnwic]]></FromUserName>' +
		`<CreateTime>${push.createTime ?? 1481013459}</CreateTime>` +
		'<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[PUBLISHJOBFINISH]]></Event>' +
		`<PublishEventInfo><publish_id>${push.publishId ?? '2247503051'}</publish_id>` +
		`<publish_status>${push.status}</publish_status>` +
		(push.articleId ? `<article_id><![CDATA[${push.articleId}]]></article_id>` : '') +
		articles +
		(push.failIdx ?? []).map((idx) => `<fail_idx>${idx}</fail_idx>`).join('') +
		'</PublishEventInfo></xml>'
	);
}

function textMessageXml(msgId: string, content = '你好'): string {
	return (
		'<xml><ToUserName><![CDATA[gh_4d00ed8d6399]]></ToUserName><FromUserName><![CDATA[oUser1]]></FromUserName>' +
		`<CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content>` +
		`<MsgId>${msgId}</MsgId></xml>`
	);
}

function eventXml(event: string, createTime: number, from = 'oUser2'): string {
	return (
		`<xml><ToUserName><![CDATA[gh_4d00ed8d6399]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName>` +
		`<CreateTime>${createTime}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[${event}]]></Event></xml>`
	);
}

function post(request: WebhookRequest, context: WebhookContext): Promise<WebhookCall> {
	return callWebhook(trigger, request, context);
}

/** The single item a call started, with its output's name. */
function started(call: WebhookCall): { output: string; json: Record<string, unknown> } {
	const data = call.result.workflowData;
	expect(data).toHaveLength(4);
	const filled = (data ?? []).flatMap((items, output) => items.map((item) => ({ output: OUTPUTS[output], json: item.json })));
	expect(filled).toHaveLength(1);
	return filled[0];
}

/** Answered exactly `success` as text/plain, once. */
function expectSuccess(call: WebhookCall): void {
	expect(call.response).toMatchObject({ status: 200, contentType: 'text/plain', body: 'success', sends: 1 });
}

/** A run: the node answered nothing itself; n8n answers `success` once it has created the execution. */
function expectStarted(call: WebhookCall): void {
	expectSuccess(call);
	expect(call.n8nAnswered).toBe(true);
	expect(call.result.noWebhookResponse).toBeUndefined();
	expect(call.result.webhookResponse).toBeUndefined();
}

/** No run: the node itself answered `success`. */
function expectAcknowledgedOnly(call: WebhookCall): void {
	expectSuccess(call);
	expect(call.n8nAnswered).toBe(false);
	expect(call.result).toStrictEqual({ noWebhookResponse: true });
}

function expectRefused(call: WebhookCall, status: number, reason?: RegExp): void {
	expect(call.response.status).toBe(status);
	expect(call.response.sends).toBe(1);
	expect(call.result).toStrictEqual({ noWebhookResponse: true });
	if (reason) expect(call.response.body).toMatch(reason);
}

const STATUS_ROUTES: Array<[number, string, string]> = [
	[0, 'published', 'Published'],
	[1, 'publishing', 'Other'],
	[2, 'originality_check_failed', 'Failed'],
	[3, 'failed', 'Failed'],
	[4, 'audit_rejected', 'Failed'],
	[5, 'deleted_by_user', 'Removed'],
	[6, 'blocked_by_platform', 'Removed'],
	[9, 'unknown', 'Other'],
];

describe('publish events', () => {
	describe.each(MODES)('in %s mode', (mode) => {
		it.each(STATUS_ROUTES)('sends publish_status %i (%s) to %s', async (status, name, output) => {
			const failIdx = status === 2 || status === 4 ? [1] : [];
			const articles = status === 0 ? ['https://mp.weixin.qq.com/s/abc'] : undefined;
			const call = await post(
				signedPush(publishXml({ status, failIdx, articles, articleId: status === 0 ? 'AID-1' : undefined }), mode, SECRETS),
				freshNode(),
			);
			expectStarted(call);
			expect(started(call)).toStrictEqual({
				output,
				json: {
					ToUserName: 'gh_4d00ed8d6399',
					FromUserName: 'oV5CrjpxgaGXNHIQigzNlgLTnwic',
					CreateTime: 1481013459,
					MsgType: 'event',
					Event: 'PUBLISHJOBFINISH',
					publish_id: '2247503051',
					publish_status: status,
					status: name,
					article_id: status === 0 ? 'AID-1' : '',
					article_detail:
						status === 0
							? { count: 1, item: [{ idx: 1, article_url: 'https://mp.weixin.qq.com/s/abc' }] }
							: { count: 0, item: [] },
					fail_idx: failIdx,
				},
			});
		});
	});

	it.each<[string, number[]]>([
		['no', []],
		['one', [2]],
		['three', [1, 3, 4]],
	])('makes fail_idx an array when WeChat sends %s fail_idx', async (_case, failIdx) => {
		const call = await post(signedPush(publishXml({ status: 4, failIdx }), 'safe', SECRETS), freshNode());
		expect(started(call).json.fail_idx).toStrictEqual(failIdx);
	});

	it.each([
		['one article', ['https://mp.weixin.qq.com/s/1']],
		['three articles', ['https://mp.weixin.qq.com/s/1', 'https://mp.weixin.qq.com/s/2?a=1&b=2', 'https://mp.weixin.qq.com/s/3']],
	])('makes article_detail.item an array for %s', async (_case, urls) => {
		const call = await post(signedPush(publishXml({ status: 0, articles: urls }), 'plain', SECRETS), freshNode());
		expect(started(call).json.article_detail).toStrictEqual({
			count: urls.length,
			item: urls.map((url, i) => ({ idx: i + 1, article_url: url })),
		});
	});

	it('takes encrypt_type=raw as plain mode', async () => {
		const request = signedPush(publishXml({ status: 0 }), 'plain', SECRETS);
		request.query = { ...request.query, encrypt_type: 'raw' };
		expect(started(await post(request, freshNode())).output).toBe('Published');
	});

	it('in compatible mode reads the encrypted fields, not the plain ones beside them', async () => {
		const request = signedPush(publishXml({ status: 0, publishId: '31' }), 'compatible', SECRETS);
		request.rawBody = String(request.rawBody)
			.replace('<publish_id>31</publish_id>', '<publish_id>666</publish_id>')
			.replace('<publish_status>0</publish_status>', '<publish_status>6</publish_status>');
		const item = started(await post(request, freshNode()));
		expect(item).toMatchObject({ output: 'Published', json: { publish_id: '31', publish_status: 0 } });
	});

	it('keeps a publish_id beyond 2^53 exact', async () => {
		const publishId = '18014398509481985';
		const call = await post(signedPush(publishXml({ status: 0, publishId }), 'compatible', SECRETS), freshNode());
		expect(started(call).json.publish_id).toBe(publishId);
	});

	it('routes publish events whatever emitOtherEvents says', async () => {
		const call = await post(
			signedPush(publishXml({ status: 3 }), 'plain', SECRETS),
			freshNode({ options: { emitOtherEvents: false } }),
		);
		expect(started(call).output).toBe('Failed');
	});
});

describe('other messages', () => {
	it.each(MODES)('are acknowledged and dropped in %s mode when emitOtherEvents is off', async (mode) => {
		expectAcknowledgedOnly(await post(signedPush(textMessageXml('1001'), mode, SECRETS), freshNode()));
		expectAcknowledgedOnly(
			await post(signedPush(eventXml('subscribe', 1700000001), mode, SECRETS), freshNode({ options: { emitOtherEvents: false } })),
		);
	});

	it.each(MODES)('go to Other with WeChat field names in %s mode when emitOtherEvents is on', async (mode) => {
		const call = await post(
			signedPush(textMessageXml('12345678901234567890', '<b>&</b>'), mode, SECRETS),
			freshNode({ options: { emitOtherEvents: true } }),
		);
		expectStarted(call);
		expect(started(call)).toStrictEqual({
			output: 'Other',
			json: {
				ToUserName: 'gh_4d00ed8d6399',
				FromUserName: 'oUser1',
				CreateTime: 1700000000,
				MsgType: 'text',
				Content: '<b>&</b>',
				MsgId: '12345678901234567890',
			},
		});
	});

	it('sends MASSSENDJOBFINISH to Other when emitOtherEvents is on', async () => {
		const call = await post(
			signedPush(eventXml('MASSSENDJOBFINISH', 1700000002, 'oMass'), 'safe', SECRETS),
			freshNode({ options: { emitOtherEvents: true } }),
		);
		expect(started(call)).toMatchObject({ output: 'Other', json: { Event: 'MASSSENDJOBFINISH', CreateTime: 1700000002 } });
	});
});

describe('duplicate deliveries', () => {
	it.each(MODES)('start a publish event once in %s mode, answering success every time', async (mode) => {
		const context = freshNode();
		const xml = publishXml({ status: 0, publishId: '777' });
		expect(started(await post(signedPush(xml, mode, SECRETS), context)).output).toBe('Published');
		for (let retry = 0; retry < 2; retry++) {
			expectAcknowledgedOnly(await post(signedPush(xml, mode, SECRETS, { nonce: `retry${retry}` }), context));
		}
	});

	it('count publish_id and publish_status together', async () => {
		const context = freshNode();
		expect(started(await post(signedPush(publishXml({ status: 0, publishId: '900' }), 'plain', SECRETS), context)).output).toBe('Published');
		expect(started(await post(signedPush(publishXml({ status: 5, publishId: '900' }), 'plain', SECRETS), context)).output).toBe('Removed');
		expect(started(await post(signedPush(publishXml({ status: 0, publishId: '901' }), 'plain', SECRETS), context)).output).toBe('Published');
		expectAcknowledgedOnly(await post(signedPush(publishXml({ status: 5, publishId: '900' }), 'safe', SECRETS), context));
	});

	it('are a duplicate whatever the mode of the retry', async () => {
		const context = freshNode();
		const xml = publishXml({ status: 2, publishId: '902', failIdx: [1] });
		started(await post(signedPush(xml, 'plain', SECRETS), context));
		expectAcknowledgedOnly(await post(signedPush(xml, 'compatible', SECRETS), context));
		expectAcknowledgedOnly(await post(signedPush(xml, 'safe', SECRETS), context));
	});

	it('are counted per trigger node', async () => {
		const xml = publishXml({ status: 0, publishId: '903' });
		started(await post(signedPush(xml, 'plain', SECRETS), freshNode()));
		started(await post(signedPush(xml, 'plain', SECRETS), freshNode()));
		const sameNodeOtherWorkflow = { ...freshNode(), workflowId: 'another-workflow' };
		started(await post(signedPush(xml, 'plain', SECRETS), sameNodeOtherWorkflow));
	});

	it('of messages are recognised by MsgId, of events by FromUserName, CreateTime and Event', async () => {
		const context = freshNode({ options: { emitOtherEvents: true } });
		started(await post(signedPush(textMessageXml('5001'), 'safe', SECRETS), context));
		expectAcknowledgedOnly(await post(signedPush(textMessageXml('5001', 'edited'), 'safe', SECRETS), context));
		started(await post(signedPush(textMessageXml('5002'), 'safe', SECRETS), context));

		started(await post(signedPush(eventXml('subscribe', 1700000100), 'plain', SECRETS), context));
		expectAcknowledgedOnly(await post(signedPush(eventXml('subscribe', 1700000100), 'plain', SECRETS), context));
		started(await post(signedPush(eventXml('unsubscribe', 1700000100), 'plain', SECRETS), context));
		started(await post(signedPush(eventXml('subscribe', 1700000101), 'plain', SECRETS), context));
		started(await post(signedPush(eventXml('subscribe', 1700000100, 'oUser3'), 'plain', SECRETS), context));
	});

	it('of concurrent deliveries start one execution', async () => {
		const context = freshNode();
		const request = signedPush(publishXml({ status: 0, publishId: '904' }), 'safe', SECRETS);
		const calls = await Promise.all([1, 2, 3].map(() => post(request, context)));
		expect(calls.filter((call) => call.result.workflowData !== undefined)).toHaveLength(1);
		expect(calls.filter((call) => call.n8nAnswered)).toHaveLength(1);
		// The others: success once n8n recorded the run, else "try again" (503), never a second run.
		for (const call of calls) expect([[200, 'success'], [503, expect.stringMatching(/still being recorded/)]]).toContainEqual([call.response.status, call.response.body]);
		expectAcknowledgedOnly(await post(request, context));
	});

	it('are not acknowledged while the first delivery is not yet recorded by n8n', async () => {
		const context = freshNode();
		const xml = publishXml({ status: 0, publishId: '905' });
		// The first delivery: webhook() returned its run, n8n has not answered yet.
		const { functions, saveStaticData } = createWebhookFunctions(signedPush(xml, 'safe', SECRETS), context);
		const first = await trigger.webhook.call(functions);
		expect(first.workflowData).toBeDefined();
		const retry = await post(signedPush(xml, 'safe', SECRETS), context);
		expect(retry.response).toMatchObject({ status: 503, contentType: 'text/plain' });
		expect(retry.result).toStrictEqual({ noWebhookResponse: true });
		// n8n answers the first (it recorded the run): now a retry is a duplicate.
		saveStaticData();
		functions.getResponseObject().status(200).send('success');
		expectAcknowledgedOnly(await post(signedPush(xml, 'safe', SECRETS), context));
	});

	it('run again when n8n failed to record the first delivery', async () => {
		const context = freshNode();
		const xml = publishXml({ status: 0, publishId: '906' });
		const { functions } = createWebhookFunctions(signedPush(xml, 'safe', SECRETS), context);
		await trigger.webhook.call(functions);
		// n8n could not create the execution: it answers an error and saves no static data.
		functions.getResponseObject().status(500).json({ message: 'There was a problem executing the workflow' });
		expect(started(await post(signedPush(xml, 'safe', SECRETS), context)).output).toBe('Published');
	});
});

describe('timestamps (replay)', () => {
	const stale = (seconds: number) => ({ timestamp: String(nowSeconds() + seconds) });

	it.each(MODES)('refuses a timestamp 301 s old or ahead by default, in %s mode', async (mode) => {
		for (const offset of [-301, 301, -86400, 86400 * 365]) {
			const call = await post(signedPush(publishXml({ status: 0 }), mode, SECRETS, stale(offset)), freshNode());
			expectRefused(call, 401, /timestamp/);
		}
	});

	it('accepts a timestamp within 300 s either way', async () => {
		for (const offset of [-280, 280]) {
			started(await post(signedPush(publishXml({ status: 0 }), 'safe', SECRETS, stale(offset)), freshNode()));
		}
	});

	it('takes maxTimestampAge from the options', async () => {
		const strict = { options: { maxTimestampAge: 10 } };
		expectRefused(await post(signedPush(publishXml({ status: 0 }), 'plain', SECRETS, stale(-30)), freshNode(strict)), 401);
		const lax = { options: { maxTimestampAge: 3600 } };
		started(await post(signedPush(publishXml({ status: 0 }), 'plain', SECRETS, stale(-1800)), freshNode(lax)));
	});

	it('checks no timestamp when maxTimestampAge is 0', async () => {
		const off = { options: { maxTimestampAge: 0 } };
		started(await post(signedPush(publishXml({ status: 0 }), 'safe', SECRETS, { timestamp: '1409304348' }), freshNode(off)));
		started(await post(signedPush(publishXml({ status: 0 }), 'plain', SECRETS, stale(86400 * 3650)), freshNode(off)));
	});

	it('refuses a signed timestamp that is not a number', async () => {
		const call = await post(signedPush(publishXml({ status: 0 }), 'plain', SECRETS, { timestamp: 'yesterday' }), freshNode());
		expectRefused(call, 400, /timestamp/);
	});
});

describe('URL verification (GET)', () => {
	it('answers echostr as plain text when the signature holds', async () => {
		const call = await post(signedSetup('7396532473562934556', SECRETS), freshNode());
		expect(call.response).toMatchObject({ status: 200, contentType: 'text/plain', body: '7396532473562934556', sends: 1 });
		expect(call.result).toStrictEqual({ noWebhookResponse: true });
	});

	it('answers an echostr with markup as text, verbatim', async () => {
		const call = await post(signedSetup('<script>x</script>', SECRETS), freshNode());
		expect(call.response).toMatchObject({ status: 200, contentType: 'text/plain', body: '<script>x</script>' });
	});

	it.each<[string, (request: WebhookRequest) => void, number]>([
		['a wrong signature', (request) => { request.query!.signature = '0'.repeat(40); }, 401],
		['no signature', (request) => { delete request.query!.signature; }, 401],
		['no timestamp', (request) => { delete request.query!.timestamp; }, 401],
		['no nonce', (request) => { delete request.query!.nonce; }, 401],
		['no echostr', (request) => { delete request.query!.echostr; }, 400],
		['two signatures', (request) => { request.query!.signature = [request.query!.signature, request.query!.signature] as unknown as string; }, 401],
	])('refuses a check with %s', async (_case, spoil, status) => {
		const request = signedSetup('echo-me', SECRETS);
		spoil(request);
		const call = await post(request, freshNode());
		expectRefused(call, status);
		expect(call.response.body).not.toContain('echo-me');
	});

	it('refuses a check signed with another token or too old', async () => {
		expectRefused(await post(signedSetup('e', { ...SECRETS, token: 'other' }), freshNode()), 401);
		expectRefused(await post(signedSetup('e', SECRETS, { timestamp: String(nowSeconds() - 3600) }), freshNode()), 401);
	});
});

describe('credential problems', () => {
	it('says the Callback Token is missing, and warns in the log', async () => {
		const context = { ...freshNode(), credentials: { ...CREDENTIALS, token: '' } };
		const call = await post(signedPush(publishXml({ status: 0 }), 'plain', SECRETS), context);
		expectRefused(call, 401, /Callback Token/);
		expect(call.warnings.join('\n')).toMatch(/Callback Token/);
		expectRefused(await post(signedSetup('e', SECRETS), context), 401, /Callback Token/);
	});

	it('says the EncodingAESKey is invalid for an aes request, and still takes plain ones', async () => {
		const context = { ...freshNode(), credentials: { ...CREDENTIALS, encodingAesKey: 'too-short' } };
		const call = await post(signedPush(publishXml({ status: 0, publishId: '1' }), 'safe', SECRETS), context);
		expectRefused(call, 400, /EncodingAESKey/);
		expect(call.response.body).not.toContain('too-short');
		expect(call.warnings.join('\n')).toMatch(/EncodingAESKey/);
		started(await post(signedPush(publishXml({ status: 0, publishId: '2' }), 'plain', SECRETS), context));
	});

	it('derives the AES key once per credential, not per request', async () => {
		const secrets = { ...SECRETS, encodingAesKey: 'ZYXWVUTSRQPONMLKJIHGFEDCBAzyxwvutsrqponmlkj' };
		const context = { ...freshNode(), credentials: { ...CREDENTIALS, ...secrets } };
		const decrypt = jest.spyOn(MessageCrypto.prototype, 'decrypt');
		try {
			for (let i = 0; i < 5; i++) {
				started(await post(signedPush(publishXml({ status: 0, publishId: `k${i}` }), 'safe', secrets), context));
			}
			const rotated = { ...secrets, encodingAesKey: 'ZYXWVUTSRQPONMLKJIHGFEDCBAzyxwvutsrqponmlk0' };
			const rotatedContext = { ...context, credentials: { ...CREDENTIALS, ...rotated } };
			started(await post(signedPush(publishXml({ status: 0, publishId: 'k9' }), 'safe', rotated), rotatedContext));
			const instances = decrypt.mock.contexts;
			expect(instances).toHaveLength(6);
			expect(new Set(instances.slice(0, 5)).size).toBe(1);
			expect(instances[5]).not.toBe(instances[0]);
		} finally {
			decrypt.mockRestore();
		}
	});
});

describe('activation (webhookMethods)', () => {
	const hooks = (credentials: Record<string, unknown>) =>
		({
			getCredentials: async () => credentials,
			getNode: () => ({ id: 'n', name: 'WeChat Official Account Trigger', type: 't', typeVersion: 1, position: [0, 0], parameters: {} }),
		}) as never;
	const methods = trigger.webhookMethods.default;

	it('registers nothing at WeChat: the server URL is set on the platform', async () => {
		expect(await methods.checkExists.call(hooks(CREDENTIALS))).toBe(false);
		expect(await methods.delete.call(hooks(CREDENTIALS))).toBe(true);
	});

	it('accepts a credential with a Token, with or without a valid EncodingAESKey', async () => {
		expect(await methods.create.call(hooks(CREDENTIALS))).toBe(true);
		expect(await methods.create.call(hooks({ ...CREDENTIALS, encodingAesKey: '' }))).toBe(true);
	});

	it('refuses to activate without a Token, or with an invalid EncodingAESKey', async () => {
		await expect(methods.create.call(hooks({ ...CREDENTIALS, token: '' }))).rejects.toThrow(/Callback Token/);
		await expect(methods.create.call(hooks({ ...CREDENTIALS, encodingAesKey: 'x'.repeat(42) }))).rejects.toThrow(/EncodingAESKey/);
	});
});

describe('node description', () => {
	const { description } = trigger;

	it('has four outputs named as docs/contract.md orders them', () => {
		expect(description.outputs).toHaveLength(4);
		expect(description.outputNames).toEqual(OUTPUTS);
		expect(description.name).toBe('weChatOfficialAccountTrigger');
		expect(description.credentials).toEqual([{ name: 'weChatOfficialAccountApi', required: true }]);
	});

	it('listens with GET (setup) and POST (default) on one path, answering on receipt', () => {
		expect(description.webhooks).toEqual([
			expect.objectContaining({ name: 'setup', httpMethod: 'GET', responseMode: 'onReceived', path: 'webhook' }),
			expect.objectContaining({ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }),
		]);
	});

	it('lets n8n answer an accepted push with exactly "success", once it has created the execution', () => {
		expect(description.webhooks?.find((webhook) => webhook.name === 'default')).toMatchObject({
			responseMode: 'onReceived',
			responseData: 'success',
		});
	});

	it('offers acceptPlainPushes (off), emitOtherEvents (off) and maxTimestampAge (300) and tells the user what to set up', () => {
		const options = description.properties.find((property) => property.name === 'options');
		expect(options?.options).toEqual([
			expect.objectContaining({ name: 'acceptPlainPushes', type: 'boolean', default: false }),
			expect.objectContaining({ name: 'emitOtherEvents', type: 'boolean', default: false }),
			expect.objectContaining({ name: 'maxTimestampAge', type: 'number', default: 300 }),
		]);
		const notice = description.properties.find((property) => property.type === 'notice');
		expect(notice?.displayName).toMatch(/Production URL/);
		expect(notice?.displayName).toMatch(/Safe mode/);
		expect(notice?.displayName).toMatch(/Accept Plain Pushes/);
		expect(description.subtitle).toBeTruthy();
	});
});

describe('DeliveryLog', () => {
	it('records a key once per scope', () => {
		const log = new DeliveryLog();
		expect(log.record('a', 'k', 1000)).toBe('new');
		expect(log.record('a', 'k', 1001)).not.toBe('new');
		expect(log.record('b', 'k', 1002)).toBe('new');
		expect(log.record('a', 'other', 1003)).toBe('new');
	});

	it('forgets a key once it is older than the age bound', () => {
		const log = new DeliveryLog(100, 60_000);
		log.record('a', 'k', 0);
		expect(log.record('a', 'k', 59_999)).not.toBe('new');
		expect(log.record('a', 'k', 60_000)).toBe('new');
		expect(log.record('a', 'k', 60_001)).not.toBe('new');
	});

	it('evicts the oldest key beyond the entry bound', () => {
		const log = new DeliveryLog(3, 60_000);
		for (const key of ['k1', 'k2', 'k3', 'k4']) log.record('a', key, 10);
		expect(log.record('a', 'k1', 11)).toBe('new');
		expect(log.record('a', 'k3', 12)).not.toBe('new');
		expect(log.record('a', 'k4', 13)).not.toBe('new');
	});

	it('keeps the newest entries up to its bound, however many deliveries come', () => {
		const log = new DeliveryLog(50, 60_000);
		for (let i = 0; i < 10_000; i++) log.record('a', `k${i}`, i);
		// Newest first: a remembered key is not recorded again, so nothing is evicted meanwhile.
		for (let i = 9_999; i >= 9_950; i--) expect(log.record('a', `k${i}`, 10_000)).not.toBe('new');
		expect(log.record('a', 'k9949', 10_000)).toBe('new');
	});

	it('keeps a delivery pending until n8n has recorded its run, and forgets one n8n did not record', () => {
		const log = new DeliveryLog();
		expect(log.record('a', 'k', 0)).toBe('new');
		expect(log.record('a', 'k', 1)).toBe('pending');
		log.settle('a', 'k', true, 2);
		expect(log.record('a', 'k', 3)).toBe('recorded');
		expect(log.record('a', 'failed', 4)).toBe('new');
		log.settle('a', 'failed', false, 5);
		expect(log.record('a', 'failed', 6)).toBe('new');
	});

	it('forgets the least recently used scope beyond the scope bound', () => {
		const log = new DeliveryLog(10, 60_000, 2);
		log.record('a', 'k', 1);
		log.record('b', 'k', 2);
		log.record('a', 'other', 3);
		log.record('c', 'k', 4);
		expect(log.record('a', 'k', 5)).not.toBe('new');
		expect(log.record('b', 'k', 6)).toBe('new');
	});
});
