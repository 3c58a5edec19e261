/**
 * What the trigger does about requests that mean something is set up wrong, and about the URL
 * check's signed URL: refusals that mean a misconfiguration are logged with the fix, at most once
 * a minute per trigger node; a plain-mode push forged under the URL check's signed URL (it sits
 * in access logs) is refused, and the genuine push with that event is still taken.
 */
import { WarningThrottle, WARNING_INTERVAL_MS } from '../../nodes/WeChatOfficialAccountTrigger/misconfigurationWarnings';
import { WeChatOfficialAccountTriggerV3 } from '../../nodes/WeChatOfficialAccountTrigger/WeChatOfficialAccountTrigger.node';
import { callWebhook, signedPush, signedSetup, type CallbackSecrets, type WebhookContext } from '../helpers/webhookFunctions';

const trigger = new WeChatOfficialAccountTriggerV3();
const SECRETS: CallbackSecrets = {
	appId: 'wx0123456789abcdef',
	token: 'trigger-callback-token',
	encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
};
const CREDENTIALS = { ...SECRETS, appSecret: 'app-secret-never-shown', baseUrl: 'http://127.0.0.1:1', authMode: 'stable' };

let nodeCount = 0;
function freshNode(credentials: Record<string, string> = CREDENTIALS): WebhookContext {
	nodeCount++;
	return { credentials, workflowId: 'wf-misconfiguration', nodeId: `misconfigured-${nodeCount}` };
}

function publishXml(publishId: string, articleUrl = 'https://mp.weixin.qq.com/s/genuine'): string {
	return (
		'<xml><ToUserName><![CDATA[gh_4d00ed8d6399]]></ToUserName><FromUserName><![CDATA[oV5CrjpxgaGXNHIQigzNlgLTnwic]]></FromUserName>' +
		'<CreateTime>1481013459</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[PUBLISHJOBFINISH]]></Event>' +
		`<PublishEventInfo><publish_id>${publishId}</publish_id><publish_status>0</publish_status>` +
		`<article_detail><count>1</count><item><idx>1</idx><article_url><![CDATA[${articleUrl}]]></article_url></item></article_detail>` +
		'</PublishEventInfo></xml>'
	);
}

describe('the URL check feeds the signed-URL log', () => {
	it('a plain push forged under the URL check\'s signed URL is refused, and the genuine push is not a duplicate', async () => {
		const context = freshNode({ ...CREDENTIALS, encodingAesKey: '' });
		const check = signedSetup('echo-1', SECRETS);
		expect((await callWebhook(trigger, check, context)).response).toMatchObject({ status: 200, body: 'echo-1' });

		const signed = { ...check.query };
		delete signed.echostr;
		const forged = await callWebhook(
			trigger,
			{ method: 'POST', query: signed, rawBody: publishXml('2247503051', 'https://phishing.example/'), headers: { 'content-type': 'text/xml' } },
			context,
		);
		expect(forged.response).toMatchObject({ status: 409, sends: 1 });
		expect(forged.response.body).toMatch(/already carried another request/);
		expect(forged.result.workflowData).toBeUndefined();

		const genuine = await callWebhook(trigger, signedPush(publishXml('2247503051'), 'plain', SECRETS), context);
		expect(genuine.result.workflowData?.[0]).toHaveLength(1);
	});

	it('WeChat repeating its URL check is still answered', async () => {
		const context = freshNode();
		const check = signedSetup('echo-2', SECRETS);
		for (let attempt = 0; attempt < 2; attempt++) {
			expect((await callWebhook(trigger, check, context)).response).toMatchObject({ status: 200, body: 'echo-2' });
		}
	});
});

describe('refusals that mean a misconfiguration', () => {
	it.each([
		['a stale EncodingAESKey while the platform sends plain pushes (the no-downgrade 403)', CREDENTIALS, () => signedPush(publishXml('1'), 'plain', SECRETS), 403,
			/refused a push with HTTP 403 \(plain push refused.*\)\. If WeChat Developer Platform → My Services → the account → Basic Info → Domain and Message Push .* is in 明文模式 \(plain mode\), every push is refused this way: switch it to 安全模式/],
		['another account\'s AppID', { ...CREDENTIALS, appId: 'wx00000000000000aa' }, () => signedPush(publishXml('2'), 'safe', SECRETS), 403,
			/refused a push with HTTP 403 \(message was encrypted for another AppID than the credential's\)\. The credential's AppID is not this account's/],
		['a wrong Token (bad signature)', { ...CREDENTIALS, token: 'not-the-platform-token' }, () => signedPush(publishXml('3'), 'plain', SECRETS), 401,
			/refused a push with HTTP 401 \(signature does not match\)\. If these are WeChat's requests, the credential's Callback Token differs from the Token of/],
		['a wrong Token on the URL check', { ...CREDENTIALS, token: 'not-the-platform-token' }, () => signedSetup('e', SECRETS), 401,
			/refused WeChat's URL check \(GET\) with HTTP 401 \(signature does not match\)/],
		['an EncodingAESKey that differs from the platform\'s', { ...CREDENTIALS, encodingAesKey: 'ZYXWVUTSRQPONMLKJIHGFEDCBAzyxwvutsrqponmlkj' }, () => signedPush(publishXml('4'), 'safe', SECRETS), 400,
			/refused a push with HTTP 400 \(cannot decrypt the message \([A-Z_]+\)\)\. The credential's EncodingAESKey differs from the one of/],
	])('%s: logged with the fix, once a minute per trigger node', async (_name, credentials, request, status, warning) => {
		const context = freshNode(credentials);
		const calls = [];
		for (let attempt = 0; attempt < 3; attempt++) calls.push(await callWebhook(trigger, request(), context));
		for (const call of calls) expect(call.response.status).toBe(status);
		const warnings = calls.flatMap((call) => call.warnings);
		expect(warnings).toHaveLength(1);
		expect(warnings[0]).toMatch(/^WeChat trigger: node "WeChat Official Account Trigger" refused /);
		expect(warnings[0]).toMatch(warning);
		expect(warnings[0]).not.toContain(SECRETS.token);
		// Another trigger node with the same problem gets its own warning.
		expect((await callWebhook(trigger, request(), freshNode(credentials))).warnings).toHaveLength(1);
	});

	it('a request that is merely malformed or unsigned is refused without a warning', async () => {
		const push = signedPush(publishXml('5'), 'plain', SECRETS);
		const unsigned = { ...push.query };
		delete unsigned.signature;
		const call = await callWebhook(trigger, { ...push, query: unsigned }, freshNode());
		expect(call.response.status).toBe(401);
		expect(call.warnings).toEqual([]);
	});

	it('the throttle lets one warning a minute through per node', () => {
		const throttle = new WarningThrottle();
		expect(throttle.mayWarn('a', 0)).toBe(true);
		expect(throttle.mayWarn('a', WARNING_INTERVAL_MS - 1)).toBe(false);
		expect(throttle.mayWarn('b', 1)).toBe(true);
		expect(throttle.mayWarn('a', WARNING_INTERVAL_MS)).toBe(true);
		expect(throttle.mayWarn('a', WARNING_INTERVAL_MS + 1)).toBe(false);
	});
});
