import { parseXmlMessage } from '../../nodes/wechat/events';
import { Catcher } from '../e2e/harness/catcher';
import { makePng } from '../fixtures/images';
import { REPRINT_MARK, WeChatSandbox } from '../sandbox';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let sandbox: WeChatSandbox;
let catcher: Catcher;
let token: string;

beforeEach(async () => {
	token = '';
	sandbox = await WeChatSandbox.start({ massSend: { delayMs: 30 } });
	catcher = await Catcher.start();
	sandbox.configure({ callback: { url: catcher.url } });
	token = (await post('/cgi-bin/stable_token', { grant_type: 'client_credential', appid: sandbox.config.appId, secret: sandbox.config.appSecret })).json.access_token as string;
});

afterEach(async () => {
	await sandbox.close();
	await catcher.close();
});

async function post(path: string, json?: unknown): Promise<{ text: string; json: Json }> {
	const url = `${sandbox.url}${path}${token ? `${path.includes('?') ? '&' : '?'}access_token=${token}` : ''}`;
	const response = await fetch(url, { method: json === undefined ? 'GET' : 'POST', body: json === undefined ? undefined : JSON.stringify(json) });
	const text = await response.text();
	return { text, json: JSON.parse(text) as Json };
}

async function draft(title = 'Mass send'): Promise<string> {
	const form = new FormData();
	form.append('media', new Blob([makePng()], { type: 'image/png' }), 'cover.png');
	const cover = (await (await fetch(`${sandbox.url}/cgi-bin/material/add_material?type=image&access_token=${token}`, { method: 'POST', body: form })).json()) as Json;
	const added = await post('/cgi-bin/draft/add', { articles: [{ title, content: `<p>${title}</p>`, thumb_media_id: cover.media_id }, { title: 'Second', content: '<p>2</p>', thumb_media_id: cover.media_id }] });
	return added.json.media_id as string;
}

function sendAll(mediaId: string, extra: Json = {}): Promise<{ text: string; json: Json }> {
	return post('/cgi-bin/message/mass/sendall', { filter: { is_to_all: true }, msgtype: 'mpnews', mpnews: { media_id: mediaId }, send_ignore_reprint: 0, ...extra });
}

describe('message/mass/sendall', () => {
	it('sends a draft to all followers: msg_id bare in the JSON, SENDING then SEND_SUCCESS, the push, the draft gone, the pages up', async () => {
		sandbox.configure({ massSend: { msgIdStart: '1234567890123456789', delayMs: 500 } });
		const mediaId = await draft();
		const sent = await sendAll(mediaId, { clientmsgid: 'first' });
		expect(sent.text).toContain('"msg_id":1234567890123456789');
		expect(sent.json).toMatchObject({ errcode: 0, errmsg: 'send job submission success' });
		expect((await post('/cgi-bin/message/mass/get', { msg_id: '1234567890123456789' })).json.msg_status).toBe('SENDING');
		await sandbox.idle();
		expect((await post('/cgi-bin/message/mass/get', { msg_id: '1234567890123456789' })).text).toBe('{"msg_id":1234567890123456789,"msg_status":"SEND_SUCCESS"}');

		const push = parseXmlMessage(catcher.requests[0].text);
		expect(catcher.requests[0].text).toContain('<MsgID>1234567890123456789</MsgID>');
		expect(push).toMatchObject({ Event: 'MASSSENDJOBFINISH', Status: 'send success', TotalCount: '1200', FilterCount: '1200', SentCount: '1188', ErrorCount: '12' });
		const urls = (push.ArticleUrlResult as Json).ResultList.item as Json[];
		expect(urls).toHaveLength(2);
		expect((push.CopyrightCheckResult as Json).CheckState).toBe('1');
		const page = await fetch(urls[0].ArticleUrl as string);
		expect(page.status).toBe(200);
		expect(await page.text()).toContain('Mass send');
		expect((await post('/cgi-bin/draft/get', { media_id: mediaId })).json.errcode).toBe(40007);
		expect((await sendAll(mediaId, { clientmsgid: 'first' })).text).toContain('"errcode":45065,"errmsg":"clientmsgid exist rid: ');
		expect(sandbox.massPushes).toEqual([expect.objectContaining({ msgId: '1234567890123456789', status: 'send success', httpStatus: 200 })]);
	});

	it('sends to a tag, whose followers come from tags/get', async () => {
		const tags = (await post('/cgi-bin/tags/get')).json.tags as Json[];
		expect(tags).toContainEqual({ id: 100, name: 'Readers 读者', count: 320 });
		const sent = await post('/cgi-bin/message/mass/sendall', { filter: { is_to_all: false, tag_id: 100 }, msgtype: 'mpnews', mpnews: { media_id: await draft() } });
		expect(sent.json.errcode).toBe(0);
		expect((await post('/cgi-bin/message/mass/sendall', { filter: { is_to_all: false, tag_id: 9 }, msgtype: 'mpnews', mpnews: { media_id: await draft('x') } })).json.errcode).toBe(40050);
		await sandbox.idle();
		expect(parseXmlMessage(catcher.requests[0].text).TotalCount).toBe('320');
	});

	it('answers 45065 with the earlier msg_id for a known clientmsgid, and for the same audience and content without one', async () => {
		const mediaId = await draft();
		const first = await sendAll(mediaId, { clientmsgid: 'key-1' });
		const again = await sendAll(mediaId, { clientmsgid: 'key-1' });
		expect(again.json).toMatchObject({ errcode: 45065, msg_id: first.json.msg_id });
		sandbox.configure({ massSend: { accountType: 'service', day: 2 } });
		const other = await draft('Other');
		const withoutKey = await sendAll(other);
		expect(withoutKey.json.errcode).toBe(0);
		expect((await sendAll(other)).json).toMatchObject({ errcode: 45065, msg_id: withoutKey.json.msg_id });
		expect(sandbox.snapshot().massSends).toHaveLength(2);
	});

	it('answers 45066 for a clientmsgid retried too fast, 45067 for one over 64 bytes', async () => {
		sandbox.configure({ massSend: { clientMsgIdMinIntervalMs: 60_000 } });
		const mediaId = await draft();
		await sendAll(mediaId, { clientmsgid: 'fast' });
		expect((await sendAll(mediaId, { clientmsgid: 'fast' })).json.errcode).toBe(45066);
		expect((await sendAll(mediaId, { clientmsgid: 'x'.repeat(65) })).json.errcode).toBe(45067);
	});

	it('allows one send a day on a subscription account (45028), a new day allows another; 48001 when not allowed', async () => {
		await sendAll(await draft('one'));
		expect((await sendAll(await draft('two'))).json.errcode).toBe(45028);
		sandbox.configure({ massSend: { day: 2 } });
		expect((await sendAll(await draft('three'))).json.errcode).toBe(0);
		sandbox.configure({ massSend: { allowed: false } });
		expect((await sendAll(await draft('four'))).json.errcode).toBe(48001);
		expect((await post('/cgi-bin/message/mass/preview', { touser: 'o1', msgtype: 'mpnews', mpnews: { media_id: await draft('five') } })).json.errcode).toBe(48001);
	});

	it('a failed send does not use the quota', async () => {
		sandbox.configure({ massSend: { outcome: 'err(10001)' } });
		await sendAll(await draft('one'));
		await sandbox.idle();
		expect(parseXmlMessage(catcher.requests[0].text)).toMatchObject({ Status: 'err(10001)', SentCount: '0' });
		expect((await sendAll(await draft('two'))).json.errcode).toBe(0);
	});

	it('holds a send to all under API mass-send protection until the administrator answers', async () => {
		sandbox.configure({ massSend: { protection: { enabled: true, confirm: false, delayMs: 60 } } });
		const sent = await sendAll(await draft());
		await new Promise((resolve) => setTimeout(resolve, 40));
		expect((await post('/cgi-bin/message/mass/get', { msg_id: String(sent.json.msg_id) })).json.msg_status).toBe('SENDING');
		await sandbox.idle();
		expect((await post('/cgi-bin/message/mass/get', { msg_id: String(sent.json.msg_id) })).json.msg_status).toBe('SEND_FAIL');
		expect(parseXmlMessage(catcher.requests[0].text).Status).toBe('send fail');
	});

	it('stops a reprint with err(30003) unless send_ignore_reprint is 1', async () => {
		const stopped = await draft(`Copied ${REPRINT_MARK}`);
		await sendAll(stopped);
		await sandbox.idle();
		expect(parseXmlMessage(catcher.requests[0].text).Status).toBe('err(30003)');
		expect((await post('/cgi-bin/draft/get', { media_id: stopped })).json.news_item).toHaveLength(2);
		sandbox.configure({ massSend: { day: 2 } });
		expect((await sendAll(stopped)).json.errcode).toBe(45065);
		await sendAll(stopped, { send_ignore_reprint: 1, clientmsgid: 'reprint-allowed' });
		await sandbox.idle();
		const push = parseXmlMessage(catcher.requests[1].text);
		expect(push.Status).toBe('send success');
		expect((push.CopyrightCheckResult as Json).CheckState).toBe('2');
	});

	it('pushes MASSSENDJOBFINISH to massSend.callback when set, not to callback', async () => {
		const second = await Catcher.start();
		try {
			sandbox.configure({ massSend: { callback: { url: second.url, mode: 'plain' } } });
			await sendAll(await draft());
			await sandbox.idle();
			expect(second.requests.map((request) => parseXmlMessage(request.text).Event)).toEqual(['MASSSENDJOBFINISH']);
			expect(catcher.requests).toEqual([]);
		} finally {
			await second.close();
		}
	});

	it('records the send and drops the answer under the dropAnswer fault', async () => {
		sandbox.injectFault('/cgi-bin/message/mass/sendall', { dropAnswer: true });
		await expect(sendAll(await draft())).rejects.toThrow();
		expect(sandbox.snapshot().massSends).toHaveLength(1);
	});
});

describe('preview, get and delete', () => {
	it('previews to an OpenID or a WeChat ID; refuses neither', async () => {
		const mediaId = await draft();
		expect((await post('/cgi-bin/message/mass/preview', { towxname: 'reviewer', msgtype: 'mpnews', mpnews: { media_id: mediaId } })).json).toMatchObject({ errcode: 0, errmsg: 'preview success' });
		expect((await post('/cgi-bin/message/mass/preview', { touser: 'oABC', msgtype: 'mpnews', mpnews: { media_id: mediaId } })).json.errcode).toBe(0);
		expect((await post('/cgi-bin/message/mass/preview', { msgtype: 'mpnews', mpnews: { media_id: mediaId } })).json.errcode).toBe(40003);
		expect(sandbox.snapshot().previews).toEqual([expect.objectContaining({ towxname: 'reviewer' }), expect.objectContaining({ touser: 'oABC' })]);
	});

	it('deletes one article (its page goes), then all (DELETE); unknown msg_id refused', async () => {
		const sent = await sendAll(await draft());
		await sandbox.idle();
		const msgId = String(sent.json.msg_id);
		const urls = (parseXmlMessage(catcher.requests[0].text).ArticleUrlResult as Json).ResultList.item as Json[];
		expect((await post('/cgi-bin/message/mass/delete', { msg_id: msgId, article_idx: 2 })).json.errcode).toBe(0);
		expect((await fetch(urls[1].ArticleUrl as string)).status).toBe(404);
		expect((await fetch(urls[0].ArticleUrl as string)).status).toBe(200);
		expect((await post('/cgi-bin/message/mass/get', { msg_id: msgId })).json.msg_status).toBe('SEND_SUCCESS');
		await post('/cgi-bin/message/mass/delete', { msg_id: msgId, article_idx: 0 });
		expect((await post('/cgi-bin/message/mass/get', { msg_id: msgId })).json.msg_status).toBe('DELETE');
		expect((await post('/cgi-bin/message/mass/get', { msg_id: '42' })).json.errcode).toBe(40004);
		expect((await post('/cgi-bin/freepublish/batchget', { offset: 0, count: 20 })).json.total_count).toBe(0);
	});
});
