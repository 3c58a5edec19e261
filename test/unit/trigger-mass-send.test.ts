import { parseXmlMessage, WeChatXmlError } from '../../nodes/wechat/events';
import { massSendEventStatus, toMassSendEventItem } from '../../nodes/wechat/massSend';
import {
	WeChatOfficialAccountTrigger,
	WeChatOfficialAccountTriggerV1,
	WeChatOfficialAccountTriggerV3,
} from '../../nodes/WeChatOfficialAccountTrigger/WeChatOfficialAccountTrigger.node';
import { callWebhook, signedPush, type CallbackSecrets, type WebhookContext } from '../helpers/webhookFunctions';

const SECRETS: CallbackSecrets = { appId: 'wx0123456789abcdef', token: 'trigger-callback-token', encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG' };
const CREDENTIALS = { ...SECRETS, appSecret: 'app-secret-never-shown', baseUrl: 'http://127.0.0.1:1', authMode: 'stable' };
const V3_OUTPUTS = ['Published', 'Failed', 'Removed', 'Sent', 'Not Sent', 'Other'];

/** A MASSSENDJOBFINISH as WeChat's event page shows it: one article, its copyright check and URL. */
function massSendXml(fields: { msgId?: string; status?: string; articles?: number } = {}): string {
	const articles = Array.from({ length: fields.articles ?? 1 }, (_unused, index) => index + 1);
	const msgId = fields.msgId === undefined ? '<MsgID>1000001625</MsgID>' : fields.msgId === '' ? '' : `<MsgID>${fields.msgId}</MsgID>`;
	const status = fields.status === undefined ? '<Status><![CDATA[err(30003)]]></Status>' : fields.status === '' ? '' : `<Status><![CDATA[${fields.status}]]></Status>`;
	return (
		'<xml><ToUserName><![CDATA[gh_4d00ed8d6399]]></ToUserName><FromUserName><![CDATA[oV5CrjpxgaGXNHIQigzNlgLTnwic]]></FromUserName>' +
		'<CreateTime>1394524295</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[MASSSENDJOBFINISH]]></Event>' +
		`${msgId}${status}<TotalCount>100</TotalCount><FilterCount>80</FilterCount><SentCount>75</SentCount><ErrorCount>5</ErrorCount>` +
		`<CopyrightCheckResult><Count>${articles.length}</Count><ResultList>${articles
			.map((idx) => `<item><ArticleIdx>${idx}</ArticleIdx><UserDeclareState>0</UserDeclareState><AuditState>2</AuditState><OriginalArticleUrl><![CDATA[Url_${idx}]]></OriginalArticleUrl><OriginalArticleType>1</OriginalArticleType><CanReprint>1</CanReprint><NeedReplaceContent>1</NeedReplaceContent><NeedShowReprintSource>1</NeedShowReprintSource></item>`)
			.join('')}</ResultList><CheckState>2</CheckState></CopyrightCheckResult>` +
		`<ArticleUrlResult><Count>${articles.length}</Count><ResultList>${articles
			.map((idx) => `<item><ArticleIdx>${idx}</ArticleIdx><ArticleUrl><![CDATA[https://mp.weixin.qq.com/s/a${idx}]]></ArticleUrl></item>`)
			.join('')}</ResultList></ArticleUrlResult></xml>`
	);
}

describe('the mass-send event item', () => {
	it('keeps msg_id a string, counts numbers, one article\'s ResultLists arrays, and decodes err(N)', () => {
		expect(toMassSendEventItem(parseXmlMessage(massSendXml()))).toEqual({
			ToUserName: 'gh_4d00ed8d6399',
			FromUserName: 'oV5CrjpxgaGXNHIQigzNlgLTnwic',
			CreateTime: 1394524295,
			MsgType: 'event',
			Event: 'MASSSENDJOBFINISH',
			msg_id: '1000001625',
			Status: 'err(30003)',
			status: 'rejected',
			statusCode: 30003,
			statusReason: 'the originality check judged an article a reprint and the send stops on a reprint',
			TotalCount: 100,
			FilterCount: 80,
			SentCount: 75,
			ErrorCount: 5,
			CopyrightCheckResult: {
				Count: 1,
				CheckState: 2,
				ResultList: [{ ArticleIdx: 1, UserDeclareState: 0, AuditState: 2, OriginalArticleUrl: 'Url_1', OriginalArticleType: 1, CanReprint: 1, NeedReplaceContent: 1, NeedShowReprintSource: 1 }],
			},
			ArticleUrlResult: { Count: 1, ResultList: [{ ArticleIdx: 1, ArticleUrl: 'https://mp.weixin.qq.com/s/a1' }] },
		});
	});

	it('keeps a 19-digit msg_id exactly and lists every article', () => {
		const item = toMassSendEventItem(parseXmlMessage(massSendXml({ msgId: '9223372036854775807', status: 'send success', articles: 3 })));
		expect(item.msg_id).toBe('9223372036854775807');
		expect(item.ArticleUrlResult.ResultList.map((entry) => entry.ArticleIdx)).toEqual([1, 2, 3]);
	});

	it.each([
		['send success', 'sent', null, null],
		['sendsuccess', 'sent', null, null],
		['send fail', 'failed', null, null],
		['err(10001)', 'rejected', 10001, 'suspected advertising'],
		['err(77777)', 'rejected', 77777, "refused by WeChat for a reason this node does not know (err(77777))"],
		['something new', 'unknown', null, null],
	])('reads Status %j as %s', (raw, status, statusCode, statusReason) => {
		expect(massSendEventStatus(raw)).toEqual({ status, statusCode, statusReason });
	});

	it('refuses a push without MsgID or Status; empty ResultLists are arrays', () => {
		expect(() => toMassSendEventItem(parseXmlMessage(massSendXml({ msgId: '' })))).toThrow(WeChatXmlError);
		expect(() => toMassSendEventItem(parseXmlMessage(massSendXml({ status: '' })))).toThrow(/without a Status/);
		const item = toMassSendEventItem(parseXmlMessage(massSendXml({ status: 'send fail', articles: 0 })));
		expect(item.ArticleUrlResult).toEqual({ Count: 0, ResultList: [] });
	});
});

describe('trigger version 3', () => {
	let nodeCount = 0;
	function node(typeVersion: number, options: Record<string, unknown> = {}): WebhookContext {
		nodeCount++;
		return { credentials: CREDENTIALS, parameters: { options: { acceptPlainPushes: true, ...options } }, workflowId: 'wf-mass', nodeId: `mass-node-${nodeCount}`, typeVersion };
	}
	const v3 = new WeChatOfficialAccountTriggerV3();

	it('is the default version; versions 1 and 2 keep four outputs, version 3 has six, a static list', () => {
		const versioned = new WeChatOfficialAccountTrigger();
		expect(versioned.description.defaultVersion).toBe(3);
		expect(versioned.nodeVersions[1].description.outputNames).toEqual(['Published', 'Failed', 'Removed', 'Other']);
		expect(versioned.nodeVersions[2].description.outputNames).toEqual(['Published', 'Failed', 'Removed', 'Other']);
		expect(versioned.nodeVersions[3].description).toMatchObject({ version: 3, outputs: V3_OUTPUTS.map(() => 'main'), outputNames: V3_OUTPUTS });
		expect(versioned.nodeVersions[3].description.defaultVersion).toBeUndefined();
	});

	it.each([
		['send success', 'Sent'],
		['send fail', 'Not Sent'],
		['err(20001)', 'Not Sent'],
		['a status WeChat adds later', 'Other'],
	])('routes Status %j to %s', async (status, output) => {
		const call = await callWebhook(v3, signedPush(massSendXml({ status }), 'safe', SECRETS), node(3));
		expect(call.result.workflowData?.map((items) => items.length)).toEqual(V3_OUTPUTS.map((name) => (name === output ? 1 : 0)));
	});

	it('still routes publish results to Published', async () => {
		const publish =
			'<xml><ToUserName><![CDATA[gh_4d00ed8d6399]]></ToUserName><FromUserName><![CDATA[oV5CrjpxgaGXNHIQigzNlgLTnwic]]></FromUserName><CreateTime>1481013459</CreateTime>' +
			'<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[PUBLISHJOBFINISH]]></Event><PublishEventInfo><publish_id>2247503051</publish_id><publish_status>0</publish_status></PublishEventInfo></xml>';
		const call = await callWebhook(v3, signedPush(publish, 'safe', SECRETS), node(3));
		expect(call.result.workflowData?.map((items) => items.length)).toEqual([1, 0, 0, 0, 0, 0]);
	});

	it('starts nothing for a repeat delivery (msg_id + Status), but does for another Status of the same msg_id', async () => {
		const context = node(3);
		const first = await callWebhook(v3, signedPush(massSendXml({ status: 'send success' }), 'safe', SECRETS), context);
		expect(first.result.workflowData).toBeDefined();
		const repeat = await callWebhook(v3, signedPush(massSendXml({ status: 'send success' }), 'safe', SECRETS), context);
		expect(repeat.result.workflowData).toBeUndefined();
		expect(repeat.response).toMatchObject({ status: 200, body: 'success' });
		const other = await callWebhook(v3, signedPush(massSendXml({ status: 'send fail' }), 'safe', SECRETS), context);
		expect(other.result.workflowData).toBeDefined();
	});

	it('refuses (4xx, no execution) a push without MsgID or Status', async () => {
		for (const broken of [massSendXml({ msgId: '' }), massSendXml({ status: '' })]) {
			const call = await callWebhook(v3, signedPush(broken, 'safe', SECRETS), node(3));
			expect(call.result.workflowData).toBeUndefined();
			expect(call.response.status).toBeGreaterThanOrEqual(400);
			expect(call.response.status).toBeLessThan(500);
		}
	});

	it('in versions 1 and 2 a mass-send result stays an other event, dropped unless Emit Other Events', async () => {
		const v1 = new WeChatOfficialAccountTriggerV1();
		for (const typeVersion of [1, 2]) {
			const dropped = await callWebhook(v1, signedPush(massSendXml({ msgId: '' }), 'safe', SECRETS), node(typeVersion));
			expect({ typeVersion, status: dropped.response.status, started: dropped.result.workflowData !== undefined }).toEqual({ typeVersion, status: 200, started: false });
			const other = await callWebhook(v1, signedPush(massSendXml(), 'safe', SECRETS), node(typeVersion, { emitOtherEvents: true }));
			expect(other.result.workflowData?.map((items) => items.length)).toEqual([0, 0, 0, 1]);
			expect(other.result.workflowData?.[3][0].json).toMatchObject({ MsgID: '1000001625', Status: 'err(30003)' });
		}
	});
});
