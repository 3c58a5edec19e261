/**
 * The trigger reads its credential at most every ACCOUNT_MAX_AGE_MS (reading it is n8n's
 * costliest step of a request), yet a changed Token is used by the first request it would refuse.
 */
import type { ICredentialDataDecryptedObject, IWebhookResponseData } from 'n8n-workflow';

import { ACCOUNT_MAX_AGE_MS, ACCOUNT_REREAD_INTERVAL_MS } from '../../nodes/WeChatOfficialAccountTrigger/accountCache';
import { WeChatOfficialAccountTriggerV1 } from '../../nodes/WeChatOfficialAccountTrigger/WeChatOfficialAccountTrigger.node';
import {
	createWebhookFunctions,
	RecordedResponse,
	signedPush,
	signedSetup,
	type CallbackSecrets,
	type WebhookRequest,
} from '../helpers/webhookFunctions';

const trigger = new WeChatOfficialAccountTriggerV1();
const SECRETS: CallbackSecrets = {
	appId: 'wx0123456789abcdef',
	token: 'cached-callback-token',
	encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
};
const ROTATED: CallbackSecrets = { ...SECRETS, token: 'rotated-callback-token' };

let nodeCount = 0;

/**
 * One trigger node whose credential (one id throughout) holds `stored.current`, which a test may
 * change as a user edits it; `reads` counts the node's getCredentials calls.
 */
function triggerNode() {
	nodeCount++;
	const stored = { current: { ...SECRETS, appSecret: 'never-shown', baseUrl: 'http://127.0.0.1:1' } as ICredentialDataDecryptedObject };
	const node = { reads: 0, stored };
	let publishId = 0;
	const send = async (request: WebhookRequest): Promise<{ status: number; started: boolean }> => {
		const response = new RecordedResponse();
		const { functions } = createWebhookFunctions(
			request,
			{ credentials: stored.current, credentialId: 'one-credential', workflowId: 'wf-cache', nodeId: `node-${nodeCount}` },
			response,
		);
		const getCredentials = functions.getCredentials.bind(functions);
		functions.getCredentials = (async (type: string) => {
			node.reads++;
			return await getCredentials(type);
		}) as typeof functions.getCredentials;
		const result: IWebhookResponseData = await trigger.webhook.call(functions);
		return { status: response.status, started: result.workflowData !== undefined };
	};
	const push = async (secrets: CallbackSecrets) => {
		publishId++;
		const xml =
			'<xml><ToUserName><![CDATA[gh_4d00ed8d6399]]></ToUserName><FromUserName><![CDATA[oV5CrjpxgaGXNHIQigzNlgLTnwic]]></FromUserName>' +
			'<CreateTime>1481013459</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[PUBLISHJOBFINISH]]></Event>' +
			`<PublishEventInfo><publish_id>${publishId}</publish_id><publish_status>0</publish_status></PublishEventInfo></xml>`;
		return await send(signedPush(xml, 'safe', secrets));
	};
	return { node, push, setup: async (secrets: CallbackSecrets) => await send(signedSetup('echo', secrets)) };
}

afterEach(() => {
	jest.useRealTimers();
});

it('reads the credential once for many requests', async () => {
	const { node, push, setup } = triggerNode();
	for (let i = 0; i < 5; i++) expect(await push(SECRETS)).toEqual({ status: 200, started: true });
	expect(await setup(SECRETS)).toEqual({ status: 200, started: false });
	expect(node.reads).toBe(1);
});

it('reads it again once it is older than the bound', async () => {
	jest.useFakeTimers({ now: Date.now(), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
	const { node, push } = triggerNode();
	await push(SECRETS);
	jest.setSystemTime(Date.now() + ACCOUNT_MAX_AGE_MS - 1);
	await push(SECRETS);
	expect(node.reads).toBe(1);
	jest.setSystemTime(Date.now() + 1);
	await push(SECRETS);
	expect(node.reads).toBe(2);
});

it('uses a changed Token within a second: the refused check reads the credential again', async () => {
	jest.useFakeTimers({ now: Date.now(), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
	const { node, push, setup } = triggerNode();
	expect((await push(SECRETS)).started).toBe(true);
	node.stored.current = { ...node.stored.current, token: ROTATED.token };
	jest.setSystemTime(Date.now() + ACCOUNT_REREAD_INTERVAL_MS);
	expect(await setup(ROTATED)).toEqual({ status: 200, started: false });
	expect(await push(ROTATED)).toEqual({ status: 200, started: true });
	expect(node.reads).toBe(2);
});

it('accepts the old Token only within the bound after a change', async () => {
	jest.useFakeTimers({ now: Date.now(), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
	const { node, push } = triggerNode();
	await push(SECRETS);
	node.stored.current = { ...node.stored.current, token: ROTATED.token };
	expect((await push(SECRETS)).started).toBe(true);
	jest.setSystemTime(Date.now() + ACCOUNT_MAX_AGE_MS);
	expect(await push(SECRETS)).toEqual({ status: 401, started: false });
	expect((await push(ROTATED)).started).toBe(true);
});

it('refuses what neither the cached nor the fresh credential accepts, after one more read', async () => {
	jest.useFakeTimers({ now: Date.now(), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
	const { node, push } = triggerNode();
	await push(SECRETS);
	jest.setSystemTime(Date.now() + ACCOUNT_REREAD_INTERVAL_MS);
	expect(await push({ ...SECRETS, token: 'forged' })).toEqual({ status: 401, started: false });
	expect(node.reads).toBe(2);
});

it('reads the credential at most once a second for a flood of forged requests', async () => {
	jest.useFakeTimers({ now: Date.now(), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
	const { node, push } = triggerNode();
	await push(SECRETS);
	for (let i = 0; i < 50; i++) {
		expect(await push({ ...SECRETS, token: 'forged' })).toEqual({ status: 401, started: false });
	}
	expect(node.reads).toBe(1);
	jest.setSystemTime(Date.now() + ACCOUNT_REREAD_INTERVAL_MS);
	for (let i = 0; i < 50; i++) await push({ ...SECRETS, token: 'forged' });
	expect(node.reads).toBe(2);
	expect((await push(SECRETS)).started).toBe(true);
});
