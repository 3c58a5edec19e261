import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'node:http';

import { MessageCrypto } from '../../nodes/wechat/crypto';
import { computeSignature } from '../../nodes/wechat/signature';
import { WeChatSandbox, SANDBOX_DEFAULTS } from '../sandbox';

/** A real 1x1 PNG. */
const PNG = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
	'base64',
);

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let sandbox: WeChatSandbox;

beforeEach(async () => {
	sandbox = await WeChatSandbox.start({ publish: { status: 0, delayMs: 20 } });
});

afterEach(async () => {
	await sandbox.close();
});

async function call(path: string, init: { query?: Record<string, string>; json?: unknown; method?: string } = {}): Promise<Json> {
	const url = new URL(sandbox.url + path);
	for (const [key, value] of Object.entries(init.query ?? {})) url.searchParams.set(key, value);
	const response = await fetch(url, {
		method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
		body: init.json === undefined ? undefined : JSON.stringify(init.json),
	});
	expect(response.status).toBe(200);
	return (await response.json()) as Json;
}

function classicToken(overrides: Record<string, string> = {}): Promise<Json> {
	return call('/cgi-bin/token', {
		query: { grant_type: 'client_credential', appid: SANDBOX_DEFAULTS.appId, secret: SANDBOX_DEFAULTS.appSecret, ...overrides },
	});
}

function stableToken(overrides: Record<string, unknown> = {}): Promise<Json> {
	return call('/cgi-bin/stable_token', {
		json: { grant_type: 'client_credential', appid: SANDBOX_DEFAULTS.appId, secret: SANDBOX_DEFAULTS.appSecret, force_refresh: false, ...overrides },
	});
}

/** Calls an API with a token; draft/count is the cheapest probe of a token's validity. */
function api(token: string, path: string, json?: unknown): Promise<Json> {
	return call(path, { query: { access_token: token }, json });
}

function multipart(fields: Array<{ name: string; filename?: string; data: Buffer; type?: string }>): { body: Buffer; contentType: string } {
	const boundary = '----sandboxBoundary7MA4YWxkTrZu0gW';
	const chunks: Buffer[] = [];
	for (const field of fields) {
		const filename = field.filename === undefined ? '' : `; filename="${field.filename}"`;
		const type = field.type ? `\r\nContent-Type: ${field.type}` : '';
		chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field.name}"${filename}${type}\r\n\r\n`));
		chunks.push(field.data, Buffer.from('\r\n'));
	}
	chunks.push(Buffer.from(`--${boundary}--\r\n`));
	return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

async function upload(token: string, path: string, data: Buffer, filename = 'cover.png'): Promise<Json> {
	const { body, contentType } = multipart([{ name: 'media', filename, data, type: 'image/png' }]);
	const response = await fetch(`${sandbox.url}${path}${path.includes('?') ? '&' : '?'}access_token=${token}`, {
		method: 'POST',
		headers: { 'Content-Type': contentType },
		body,
	});
	return (await response.json()) as Json;
}

async function createDraft(token: string, titles: string[] = ['Hello']): Promise<string> {
	const cover = await upload(token, '/cgi-bin/material/add_material?type=image', PNG);
	const draft = await api(token, '/cgi-bin/draft/add', {
		articles: titles.map((title) => ({ title, content: `<p>${title} body</p>`, thumb_media_id: cover.media_id })),
	});
	expect(draft.media_id).toEqual(expect.any(String));
	return draft.media_id as string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('access tokens', () => {
	it('stable_token returns the same token while it lives, separate from classic tokens', async () => {
		const first = await stableToken();
		const second = await stableToken();
		expect(second.access_token).toBe(first.access_token);
		expect(first.expires_in).toBeGreaterThan(7000);
		const classic = await classicToken();
		expect(classic.access_token).not.toBe(first.access_token);
		expect((await stableToken()).access_token).toBe(first.access_token);
		expect(sandbox.stats.issuedTokens).toEqual({ stable: 1, classic: 1 });
	});

	it('limits force_refresh to one per interval and a daily count, keeping the old token briefly', async () => {
		sandbox.configure({ classicGraceSeconds: 0.2, stableForceRefresh: { perDay: 2, intervalSeconds: 0.2 } });
		const first = await stableToken();
		const forced = await stableToken({ force_refresh: true });
		expect(forced.access_token).not.toBe(first.access_token);
		expect((await api(first.access_token, '/cgi-bin/draft/count')).total_count).toBe(0);
		expect((await stableToken({ force_refresh: true })).errcode).toBe(45011);
		await sleep(210);
		expect((await api(first.access_token, '/cgi-bin/draft/count')).errcode).toBe(40001);
		const again = await stableToken({ force_refresh: true });
		expect(again.access_token).toEqual(expect.any(String));
		await sleep(210);
		expect((await stableToken({ force_refresh: true })).errcode).toBe(45011);
		expect((await stableToken()).access_token).toBe(again.access_token);
	});

	it('a new classic token retires the previous one after the grace period', async () => {
		sandbox.configure({ classicGraceSeconds: 0.2 });
		const first = await classicToken();
		const second = await classicToken();
		expect((await api(first.access_token, '/cgi-bin/draft/count')).total_count).toBe(0);
		await sleep(210);
		expect((await api(first.access_token, '/cgi-bin/draft/count')).errcode).toBe(40001);
		expect((await api(second.access_token, '/cgi-bin/draft/count')).total_count).toBe(0);
		expect(sandbox.stats.invalidatedTokens).toBe(1);
	});

	it('answers 42001 past the lifetime and after expireTokens(), 41001 without a token, 40001 for an unknown one', async () => {
		sandbox.configure({ tokenLifetimeSeconds: 0.05 });
		const short = await stableToken();
		await sleep(60);
		expect((await api(short.access_token, '/cgi-bin/draft/count')).errcode).toBe(42001);
		const fresh = await stableToken();
		expect(fresh.access_token).not.toBe(short.access_token);

		sandbox.configure({ tokenLifetimeSeconds: 7200 });
		const classic = await classicToken();
		sandbox.expireTokens();
		expect((await api(classic.access_token, '/cgi-bin/draft/count')).errcode).toBe(42001);
		expect((await call('/cgi-bin/draft/count')).errcode).toBe(41001);
		expect((await api('not-a-token', '/cgi-bin/draft/count')).errcode).toBe(40001);
	});

	it('checks grant_type, appid and secret on both token endpoints', async () => {
		expect((await classicToken({ appid: 'wx-wrong' })).errcode).toBe(40013);
		expect((await classicToken({ secret: 'wrong' })).errcode).toBe(40125);
		expect((await classicToken({ grant_type: 'password' })).errcode).toBe(40002);
		expect((await stableToken({ appid: 'wx-wrong' })).errcode).toBe(40013);
		expect((await stableToken({ secret: 'wrong' })).errcode).toBe(40125);
		const refused = await stableToken({ secret: 'wrong' });
		expect(refused.errmsg).not.toContain(SANDBOX_DEFAULTS.appSecret);
		expect(sandbox.stats.issuedTokens).toEqual({ stable: 0, classic: 0 });
	});
});

describe('drafts and publishing', () => {
	let token: string;
	beforeEach(async () => {
		token = (await stableToken()).access_token as string;
	});

	it('creates, reads, updates, lists, counts and deletes drafts', async () => {
		const older = await createDraft(token, ['Older']);
		const newer = await createDraft(token, ['Newer', 'Second']);
		expect((await api(token, '/cgi-bin/draft/get', { media_id: newer })).news_item.map((a: Json) => a.title)).toEqual(['Newer', 'Second']);
		expect((await api(token, '/cgi-bin/draft/count')).total_count).toBe(2);

		const page = await api(token, '/cgi-bin/draft/batchget', { offset: 0, count: 20, no_content: 1 });
		expect(page.total_count).toBe(2);
		expect(page.item.map((item: Json) => item.media_id)).toEqual([newer, older]);
		expect(page.item[0].content.news_item[0].content).toBeUndefined();
		expect((await api(token, '/cgi-bin/draft/batchget', { offset: 0, count: 21 })).errcode).toBe(40097);

		const thumb = (await api(token, '/cgi-bin/draft/get', { media_id: older })).news_item[0].thumb_media_id;
		const updated = await api(token, '/cgi-bin/draft/update', {
			media_id: older,
			index: 0,
			articles: { title: 'Older, edited', content: '<p>edited</p>', thumb_media_id: thumb },
		});
		expect(updated).toEqual({ errcode: 0, errmsg: 'ok' });
		const relisted = await api(token, '/cgi-bin/draft/batchget', { offset: 0, count: 1 });
		expect(relisted.item_count).toBe(1);
		expect(relisted.item[0].media_id).toBe(older);
		expect(relisted.item[0].content.news_item[0].title).toBe('Older, edited');

		expect(await api(token, '/cgi-bin/draft/delete', { media_id: older })).toEqual({ errcode: 0, errmsg: 'ok' });
		expect((await api(token, '/cgi-bin/draft/get', { media_id: older })).errcode).toBe(40007);
		expect((await api(token, '/cgi-bin/draft/count')).total_count).toBe(1);
	});

	it('refuses drafts without title, content or an uploaded cover', async () => {
		const cover = (await upload(token, '/cgi-bin/material/add_material?type=image', PNG)).media_id;
		const add = (article: Json) => api(token, '/cgi-bin/draft/add', { articles: [article] });
		expect((await add({ content: 'x', thumb_media_id: cover })).errcode).toBe(47003);
		expect((await add({ title: 't', thumb_media_id: cover })).errcode).toBe(44004);
		expect((await add({ title: 't', content: 'x' })).errcode).toBe(40007);
		expect((await add({ title: 't', content: 'x', thumb_media_id: 'unknown' })).errcode).toBe(40007);
		expect((await api(token, '/cgi-bin/draft/add', { articles: [] })).errcode).toBe(44003);
		expect((await call('/cgi-bin/draft/add', { query: { access_token: token }, method: 'POST' })).errcode).toBe(44002);
	});

	it('answers status 1 while a job runs', async () => {
		sandbox.configure({ publish: { delayMs: 60_000 } });
		const submitted = await api(token, '/cgi-bin/freepublish/submit', { media_id: await createDraft(token) });
		expect(submitted).toEqual({ errcode: 0, errmsg: 'ok', publish_id: expect.stringMatching(/^\d+$/), msg_data_id: expect.stringMatching(/^\d+$/) });
		const { publish_id } = submitted;
		expect(await api(token, '/cgi-bin/freepublish/get', { publish_id })).toEqual({ publish_id, publish_status: 1, fail_idx: [] });
	});

	it('publishes a draft: status 0 with an article and its pages, then deleted (5)', async () => {
		const mediaId = await createDraft(token, ['First', 'Second']);
		const publishId = (await api(token, '/cgi-bin/freepublish/submit', { media_id: mediaId })).publish_id as string;

		await sandbox.idle();
		const done = await api(token, '/cgi-bin/freepublish/get', { publish_id: publishId });
		expect(done).toMatchObject({ publish_id: publishId, publish_status: 0, fail_idx: [], article_id: expect.any(String) });
		expect(done.article_detail.count).toBe(2);
		expect(done.article_detail.item.map((item: Json) => item.idx)).toEqual([1, 2]);

		const page = await fetch(done.article_detail.item[1].article_url);
		expect(page.status).toBe(200);
		expect(await page.text()).toContain('Second body');

		const article = await api(token, '/cgi-bin/freepublish/getarticle', { article_id: done.article_id });
		expect(article.news_item.map((item: Json) => item.title)).toEqual(['First', 'Second']);
		const list = await api(token, '/cgi-bin/freepublish/batchget', { offset: 0, count: 10 });
		expect(list).toMatchObject({ total_count: 1, item_count: 1, item: [{ article_id: done.article_id }] });
		// A published draft leaves the draft box.
		expect((await api(token, '/cgi-bin/draft/count')).total_count).toBe(0);
		expect(sandbox.stats.submits).toBe(1);

		expect(await api(token, '/cgi-bin/freepublish/delete', { article_id: done.article_id, index: 0 })).toEqual({ errcode: 0, errmsg: 'ok' });
		expect((await api(token, '/cgi-bin/freepublish/get', { publish_id: publishId })).publish_status).toBe(5);
		expect((await fetch(done.article_detail.item[0].article_url)).status).toBe(404);
		expect((await api(token, '/cgi-bin/freepublish/delete', { article_id: 'unknown', index: 0 })).errcode).toBe(53600);
	});

	it('ends a job with the configured failure and fail_idx', async () => {
		sandbox.configure({ publish: { status: 2, failIdx: [2] } });
		const mediaId = await createDraft(token, ['One', 'Two']);
		const { publish_id } = await api(token, '/cgi-bin/freepublish/submit', { media_id: mediaId });
		await sandbox.idle();
		expect(await api(token, '/cgi-bin/freepublish/get', { publish_id })).toEqual({ publish_id, publish_status: 2, fail_idx: [2] });
		expect((await api(token, '/cgi-bin/draft/count')).total_count).toBe(1);
	});

	it('answers 48001 when the account cannot publish, 53503 for a draft failing the check, 40007 and 53502 for unknown IDs', async () => {
		const mediaId = await createDraft(token);
		sandbox.configure({ canPublish: false });
		expect((await api(token, '/cgi-bin/freepublish/submit', { media_id: mediaId })).errcode).toBe(48001);
		sandbox.configure({ canPublish: true });
		sandbox.markDraftFailsCheck(mediaId);
		expect((await api(token, '/cgi-bin/freepublish/submit', { media_id: mediaId })).errcode).toBe(53503);
		const marked = await createDraft(token, ['Breaking [fail-check] news']);
		expect((await api(token, '/cgi-bin/freepublish/submit', { media_id: marked })).errcode).toBe(53503);
		expect((await api(token, '/cgi-bin/freepublish/submit', { media_id: 'unknown' })).errcode).toBe(40007);
		expect((await api(token, '/cgi-bin/freepublish/get', { publish_id: '1' })).errcode).toBe(53502);
		expect(sandbox.stats.submits).toBe(0);
		expect(sandbox.count('/cgi-bin/freepublish/submit')).toBe(4);
	});

	it('issues publish_ids above 2^53 exactly when configured', async () => {
		sandbox.configure({ publishIdStart: '9007199254740993' });
		const first = await api(token, '/cgi-bin/freepublish/submit', { media_id: await createDraft(token) });
		const second = await api(token, '/cgi-bin/freepublish/submit', { media_id: await createDraft(token) });
		expect([first.publish_id, second.publish_id]).toEqual(['9007199254740993', '9007199254740994']);
		expect((await api(token, '/cgi-bin/freepublish/get', { publish_id: '9007199254740994' })).publish_id).toBe('9007199254740994');
	});
});

describe('faults and counters', () => {
	let token: string;
	beforeEach(async () => {
		token = (await stableToken()).access_token as string;
	});

	it('answers an injected errcode the given number of times, then normally', async () => {
		sandbox.injectFault('/cgi-bin/draft/count', { errcode: -1, errmsg: 'system error' }, 2);
		expect(await api(token, '/cgi-bin/draft/count')).toEqual({ errcode: -1, errmsg: expect.stringMatching(/^system error/) });
		expect((await api(token, '/cgi-bin/draft/count')).errcode).toBe(-1);
		expect(await api(token, '/cgi-bin/draft/count')).toEqual({ total_count: 0 });
		expect(sandbox.count('/cgi-bin/draft/count')).toBe(3);
	});

	it('answers an HTTP error status, an HTML page, or a delayed normal answer', async () => {
		sandbox.injectFault('/cgi-bin/stable_token', { httpStatus: 502 });
		sandbox.injectFault('/cgi-bin/draft/count', { html: true });
		sandbox.injectFault('/cgi-bin/draft/batchget', { delayMs: 30 });
		const bad = await fetch(`${sandbox.url}/cgi-bin/stable_token`, { method: 'POST', body: '{}' });
		expect(bad.status).toBe(502);
		expect(await bad.text()).toContain('502 Bad Gateway');
		const html = await fetch(`${sandbox.url}/cgi-bin/draft/count?access_token=${token}`);
		expect(html.status).toBe(200);
		expect(html.headers.get('content-type')).toMatch(/^text\/html/);
		expect((await api(token, '/cgi-bin/draft/batchget', { offset: 0, count: 1 })).total_count).toBe(0);
	});

	it('resets the connection without answering', async () => {
		sandbox.injectFault('/cgi-bin/freepublish/submit', { reset: true });
		await expect(fetch(`${sandbox.url}/cgi-bin/freepublish/submit?access_token=${token}`, { method: 'POST', body: '{"media_id":"x"}' })).rejects.toThrow();
		expect(sandbox.count('/cgi-bin/freepublish/submit')).toBe(1);
		expect((await api(token, '/cgi-bin/freepublish/submit', { media_id: 'x' })).errcode).toBe(40007);
	});

	it('counts every request per path, unknown paths too, and resets the counts', async () => {
		expect((await api(token, '/cgi-bin/no/such/api')).errcode).toBe(40066);
		await api(token, '/cgi-bin/draft/count');
		expect(sandbox.counts()).toEqual({ '/cgi-bin/stable_token': 1, '/cgi-bin/no/such/api': 1, '/cgi-bin/draft/count': 1 });
		sandbox.resetCounts();
		expect(sandbox.counts()).toEqual({});
		expect(sandbox.count('/cgi-bin/draft/count')).toBe(0);
	});
});
