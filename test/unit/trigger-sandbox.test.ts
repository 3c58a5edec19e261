import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject, IWebhookResponseData } from 'n8n-workflow';

import { MessageCrypto } from '../../nodes/wechat/crypto';
import { parseXmlMessage, toMessageItem, toPublishResult } from '../../nodes/wechat/events';
import { WeChatOfficialAccountTriggerV1 } from '../../nodes/WeChatOfficialAccountTrigger/WeChatOfficialAccountTrigger.node';
import { WeChatSandbox } from '../sandbox';
import type { PushMode } from '../sandbox';
import { answerLikeN8n, createWebhookFunctions, RecordedResponse, signedSetup, type WebhookContext } from '../helpers/webhookFunctions';

// The trigger's webhook() served over a real HTTP server on 127.0.0.1 (a tiny stand-in for
// n8n's webhook route), receiving what the sandbox pushes the way WeChat does.
const trigger = new WeChatOfficialAccountTriggerV1();

interface Delivery {
	query: IDataObject;
	rawBody: Buffer;
	status: number;
	answer: string;
	result: IWebhookResponseData;
}

const OUTPUTS = ['Published', 'Failed', 'Removed', 'Other'];

/** node:http request → the IWebhookFunctions double → webhook(); every delivery is recorded. */
async function serveTrigger(context: () => WebhookContext): Promise<{ server: Server; url: string; deliveries: Delivery[] }> {
	const deliveries: Delivery[] = [];
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', async () => {
			const rawBody = Buffer.concat(chunks);
			const query: IDataObject = {};
			for (const [name, value] of new URL(req.url ?? '/', 'http://127.0.0.1').searchParams) {
				const previous = query[name];
				query[name] = previous === undefined ? value : ([] as unknown[]).concat(previous, value) as string[];
			}
			const response = new RecordedResponse(res);
			const method = req.method === 'GET' ? 'GET' : 'POST';
			const { functions } = createWebhookFunctions({ method, query, headers: req.headers, rawBody }, context(), response);
			try {
				const result = await trigger.webhook!.call(functions);
				answerLikeN8n(trigger, method, result, response);
				deliveries.push({ query, rawBody, status: response.status, answer: response.body ?? '', result });
				if (response.sends !== 1) res.writeHead(500).end('the trigger answered no or several times');
			} catch (error) {
				res.writeHead(500).end(`the trigger threw: ${(error as Error).message}`);
			}
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return { server, url: `http://127.0.0.1:${port}/webhook/trigger-webhook-id/webhook`, deliveries };
}

let sandbox: WeChatSandbox;
let served: Awaited<ReturnType<typeof serveTrigger>>;
let parameters: IDataObject = {};
let nodeCount = 0;
let nodeId = 'sandbox-node-0';

beforeAll(async () => {
	sandbox = await WeChatSandbox.start({ publishIdStart: '9007199254740993' });
	served = await serveTrigger(() => ({
		credentials: {
			appId: sandbox.config.appId,
			appSecret: sandbox.config.appSecret,
			token: sandbox.config.token,
			encodingAesKey: sandbox.config.encodingAesKey,
			baseUrl: sandbox.url,
			authMode: 'stable',
		},
		parameters,
		workflowId: 'wf-sandbox',
		nodeId,
	}));
});

afterAll(async () => {
	await sandbox.close();
	await new Promise((resolve) => served.server.close(resolve));
});

beforeEach(() => {
	served.deliveries.length = 0;
	sandbox.pushes.length = 0;
	// The sandbox pushes in all three modes to one account with an EncodingAESKey.
	parameters = { options: { acceptPlainPushes: true } };
	// A node of its own per test, so no test's deliveries count as another's duplicates.
	nodeId = `sandbox-node-${++nodeCount}`;
});

async function api(path: string, body: unknown, accessToken?: string): Promise<IDataObject> {
	const url = new URL(path, sandbox.url);
	if (accessToken) url.searchParams.set('access_token', accessToken);
	const init = body instanceof FormData ? { method: 'POST', body } : { method: 'POST', body: JSON.stringify(body) };
	const answer = (await (await fetch(url, init)).json()) as IDataObject;
	expect(answer.errcode ?? 0).toBe(0);
	return answer;
}

/** Through the sandbox's API, as the action node would: token, cover image, draft, submit. */
async function publishDraft(articles: number): Promise<{ publishId: string; accessToken: string }> {
	const { access_token: accessToken } = await api('/cgi-bin/stable_token', {
		grant_type: 'client_credential',
		appid: sandbox.config.appId,
		secret: sandbox.config.appSecret,
	});
	const form = new FormData();
	const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
	form.append('media', new Blob([png], { type: 'image/png' }), 'cover.png');
	const { media_id: thumbMediaId } = await api('/cgi-bin/material/add_material?type=image', form, String(accessToken));
	const { media_id: mediaId } = await api(
		'/cgi-bin/draft/add',
		{
			articles: Array.from({ length: articles }, (_, i) => ({
				title: `文章 ${i + 1}`,
				content: `<p>正文 ${i + 1}</p>`,
				thumb_media_id: thumbMediaId,
			})),
		},
		String(accessToken),
	);
	const { publish_id: publishId } = await api('/cgi-bin/freepublish/submit', { media_id: mediaId }, String(accessToken));
	return { publishId: String(publishId), accessToken: String(accessToken) };
}

function startedItems(delivery: Delivery): Array<{ output: string; json: IDataObject }> {
	return (delivery.result.workflowData ?? []).flatMap((items, output) =>
		items.map((item) => ({ output: OUTPUTS[output], json: item.json })),
	);
}

describe.each<[PushMode, number, string]>([
	['plain', 0, 'Published'],
	['compatible', 2, 'Failed'],
	['safe', 4, 'Failed'],
	['safe', 0, 'Published'],
])('a publish job pushed in %s mode with status %i', (mode, status, output) => {
	it(`is answered success and starts the ${output} output with the job's result`, async () => {
		sandbox.configure({ callback: { url: served.url, mode }, publish: { status, delayMs: 10 }, duplicatePushes: 0 });
		const { publishId, accessToken } = await publishDraft(3);
		await sandbox.idle();

		expect(sandbox.pushes).toEqual([
			expect.objectContaining({ publishId, status, attempt: 1, httpStatus: 200, body: 'success', mode }),
		]);
		expect(served.deliveries).toHaveLength(1);
		const [delivery] = served.deliveries;
		expect(delivery.query.encrypt_type).toBe(mode === 'plain' ? undefined : 'aes');
		const [started] = startedItems(delivery);
		expect(started.output).toBe(output);
		// The pushed event carries exactly what freepublish/get reports for the job.
		const polled = toPublishResult(await api('/cgi-bin/freepublish/get', { publish_id: publishId }, accessToken));
		expect(started.json).toStrictEqual({
			ToUserName: 'gh_4d00ed8d6399',
			FromUserName: 'oV5CrjpxgaGXNHIQigzNlgLTnwic',
			CreateTime: expect.any(Number),
			MsgType: 'event',
			Event: 'PUBLISHJOBFINISH',
			...polled,
		});
		expect(started.json.publish_id).toBe(publishId);
		expect(BigInt(publishId)).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER));
		if (status === 0) expect(started.json.article_detail).toMatchObject({ count: 3 });
		else expect(started.json.fail_idx).toEqual([1, 2, 3]);
	});
});

describe.each<PushMode>(['plain', 'compatible', 'safe'])('pushEvent in %s mode', (mode) => {
	const xml =
		'<xml><ToUserName><![CDATA[gh_4d00ed8d6399]]></ToUserName><FromUserName><![CDATA[oFan]]></FromUserName>' +
		'<CreateTime>1700000123</CreateTime><MsgType><![CDATA[text]]></MsgType>' +
		'<Content><![CDATA[中文 <b>&amp;</b> 😀 ]]]]><![CDATA[>]]></Content><MsgId>24000000000000000001</MsgId></xml>';

	it('is accepted byte for byte', async () => {
		parameters = { options: { acceptPlainPushes: true, emitOtherEvents: true } };
		const answer = await sandbox.pushEvent(xml, { mode, url: served.url });
		expect(answer).toEqual({ status: 200, body: 'success' });
		const [delivery] = served.deliveries;
		const received =
			mode === 'plain'
				? delivery.rawBody
				: Buffer.from(
						new MessageCrypto(sandbox.config.encodingAesKey, sandbox.config.appId).decrypt(
							/<Encrypt><!\[CDATA\[([^\]]+)\]\]><\/Encrypt>/.exec(delivery.rawBody.toString('utf8'))![1],
						),
					);
		expect(received.equals(Buffer.from(xml, 'utf8'))).toBe(true);
		expect(startedItems(delivery)).toStrictEqual([{ output: 'Other', json: toMessageItem(parseXmlMessage(xml)) }]);
		expect(startedItems(delivery)[0].json.Content).toBe('中文 <b>&amp;</b> 😀 ]]>');
	});

	it('is acknowledged and starts nothing when emitOtherEvents is off', async () => {
		expect(await sandbox.pushEvent(xml, { mode, url: served.url })).toEqual({ status: 200, body: 'success' });
		expect(served.deliveries[0].result.workflowData).toBeUndefined();
	});
});

describe('forged and replayed pushes', () => {
	const event = { MsgType: 'event', Event: 'PUBLISHJOBFINISH', PublishEventInfo: { publish_id: 5n, publish_status: 0 } };

	it.each<[PushMode, 'signature' | 'msg_signature' | 'appid' | 'timestamp', number]>([
		['plain', 'signature', 401],
		['plain', 'timestamp', 401],
		['compatible', 'msg_signature', 401],
		['compatible', 'appid', 403],
		['safe', 'msg_signature', 401],
		['safe', 'appid', 403],
		['safe', 'timestamp', 401],
	])('in %s mode with a forged %s are refused with %i', async (mode, tamper, status) => {
		const answer = await sandbox.pushEvent(event, { mode, url: served.url, tamper });
		expect(answer.status).toBe(status);
		expect(answer.body).not.toBe('success');
		expect(served.deliveries[0].result).toStrictEqual({ noWebhookResponse: true });
		// The same event, untampered, still goes through.
		expect(await sandbox.pushEvent(event, { mode, url: served.url })).toEqual({ status: 200, body: 'success' });
		expect(startedItems(served.deliveries[1])).toHaveLength(1);
	});
});

describe('WeChat retries', () => {
	it('deliver a publish result three times and start the workflow once', async () => {
		sandbox.configure({ callback: { url: served.url, mode: 'safe' }, publish: { status: 0, delayMs: 10 }, duplicatePushes: 2 });
		await publishDraft(1);
		await sandbox.idle();
		expect(sandbox.pushes.map((push) => [push.attempt, push.httpStatus, push.body])).toEqual([
			[1, 200, 'success'],
			[2, 200, 'success'],
			[3, 200, 'success'],
		]);
		expect(served.deliveries.map((delivery) => startedItems(delivery).length)).toEqual([1, 0, 0]);
	});
});

describe('URL verification over HTTP', () => {
	it('answers the echostr of a GET signed with the sandbox token as text/plain', async () => {
		const { query } = signedSetup('1234567890123456789', sandbox.config);
		const url = new URL(served.url);
		for (const [name, value] of Object.entries(query ?? {})) url.searchParams.set(name, String(value));
		const answer = await fetch(url);
		expect(answer.status).toBe(200);
		expect(answer.headers.get('content-type')).toMatch(/^text\/plain/);
		expect(await answer.text()).toBe('1234567890123456789');

		url.searchParams.set('signature', '0'.repeat(40));
		const forged = await fetch(url);
		expect(forged.status).toBe(401);
		expect(await forged.text()).not.toContain('1234567890123456789');
	});
});
