import { SANDBOX_DEFAULTS, WeChatSandbox } from '../sandbox';
import { beijingDay } from './engagement-harness';

// The sandbox's statistics and comment endpoints over plain HTTP, as WeChat answers them: the
// checks the node never trips (it asks one day at a time, pages of 49), so they are proven here.

type Json = Record<string, unknown>;

let sandbox: WeChatSandbox;
let token: string;
const MASS_SENT = '2247490098';

async function post(path: string, json: unknown, query: Record<string, string> = { access_token: token }): Promise<Json> {
	const url = new URL(sandbox.url + path);
	for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
	const response = await fetch(url, { method: 'POST', body: JSON.stringify(json) });
	return (await response.json()) as Json;
}

beforeAll(async () => {
	sandbox = await WeChatSandbox.start();
	const grant = await post('/cgi-bin/stable_token', { grant_type: 'client_credential', appid: SANDBOX_DEFAULTS.appId, secret: SANDBOX_DEFAULTS.appSecret }, {});
	token = grant.access_token as string;
	const control = await post('/sandbox/engagement/publication', { msg_data_id: MASS_SENT, published_on: beijingDay(-3), titles: ['A', 'B'] }, {});
	expect(control).toEqual({ ok: true });
});

afterAll(async () => {
	await sandbox.close();
});

describe('sandbox statistics', () => {
	it.each([
		['a range of two days', beijingDay(-3), beijingDay(-2), 61501],
		['a range ending today', beijingDay(0), beijingDay(0), 61501],
		['a start after the end', beijingDay(-2), beijingDay(-3), 61501],
		['a date not as YYYY-MM-DD', '20261101', beijingDay(-3), 61500],
	])('refuses %s', async (_case, begin_date, end_date, errcode) => {
		for (const path of ['getarticletotaldetail', 'getarticleread', 'getarticleshare', 'getbizsummary']) {
			expect(await post(`/datacube/${path}`, { begin_date, end_date })).toMatchObject({ errcode });
		}
	});

	it('answers one day with msgid, publish_type 0 for a mass send, and is_delay', async () => {
		await post('/sandbox/engagement/settings', { delayed: true }, {});
		const detail = await post('/datacube/getarticletotaldetail', { begin_date: beijingDay(-3), end_date: beijingDay(-3) });
		expect(detail.is_delay).toBe(true);
		expect((detail.list as Json[]).map((entry) => [entry.msgid, entry.publish_type, (entry.detail_list as Json[]).length])).toEqual([
			[`${MASS_SENT}_1`, 0, 3],
			[`${MASS_SENT}_2`, 0, 3],
		]);
		await post('/sandbox/engagement/settings', { delayed: false }, {});
		const again = await post('/datacube/getarticletotaldetail', { begin_date: beijingDay(-3), end_date: beijingDay(-3) });
		expect(again).toEqual({ ...detail, is_delay: false });
	});
});

describe('sandbox comments', () => {
	const article = { msg_data_id: Number(MASS_SENT), index: 1 };

	it('pages under 50 (88010 at 50), reply once (88005), 88001 for an unknown article, 88000 without permission', async () => {
		await post('/sandbox/engagement/comments', { msg_data_id: MASS_SENT, articleNumber: 2, comments: [{ content: 'one' }, { content: 'two' }] }, {});
		expect(await post('/cgi-bin/comment/list', { ...article, begin: 0, count: 50, type: 0 })).toMatchObject({ errcode: 88010 });
		const list = await post('/cgi-bin/comment/list', { ...article, begin: 1, count: 49, type: 0 });
		expect(list).toMatchObject({ errcode: 0, total: 2, comment: [{ content: 'two', comment_type: 0 }] });
		const id = (list.comment as Json[])[0].user_comment_id;
		expect(await post('/cgi-bin/comment/reply/add', { ...article, user_comment_id: id, content: 'thanks' })).toMatchObject({ errcode: 0 });
		expect(await post('/cgi-bin/comment/reply/add', { ...article, user_comment_id: id, content: 'again' })).toMatchObject({ errcode: 88005 });
		expect(await post('/cgi-bin/comment/list', { ...article, index: 2, begin: 0, count: 10, type: 0 })).toMatchObject({ errcode: 88001 });
		await post('/sandbox/engagement/settings', { commentPermission: false }, {});
		expect(await post('/cgi-bin/comment/list', { ...article, begin: 0, count: 10, type: 0 })).toMatchObject({ errcode: 88000 });
		await post('/sandbox/engagement/settings', { commentPermission: true }, {});
	});
});
