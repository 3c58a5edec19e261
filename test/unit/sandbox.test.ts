import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { MessageCrypto } from '../../nodes/wechat/crypto';
import { parseXmlMessage, readEnvelopeEncrypt, toPublishEventItem } from '../../nodes/wechat/events';
import { computeSignature } from '../../nodes/wechat/signature';
import { WeChatSandbox, SANDBOX_DEFAULTS } from '../sandbox';
import type { PushMode } from '../sandbox';

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

describe('access tokens', () => {
	/** The token clock, moved by the tests: no waiting, no race with the grace periods. */
	let clock: number;
	beforeEach(async () => {
		await sandbox.close();
		clock = Date.now();
		sandbox = await WeChatSandbox.start({ now: () => clock });
	});

	it('stable_token returns the same token while it lives, with the remaining lifetime, separate from classic tokens', async () => {
		const first = await stableToken();
		expect(first.expires_in).toBe(7200);
		clock += 1000_000;
		const second = await stableToken();
		expect(second).toEqual({ access_token: first.access_token, expires_in: 6200 });
		const classic = await classicToken();
		expect(classic.access_token).not.toBe(first.access_token);
		expect((await stableToken()).access_token).toBe(first.access_token);
		expect(sandbox.stats.issuedTokens).toEqual({ stable: 1, classic: 1, component: 0, authorizer: 0 });
	});

	it('limits force_refresh to one per interval and a daily count, keeping the old token for the grace period', async () => {
		sandbox.configure({ stableForceRefresh: { perDay: 2 } });
		const first = await stableToken();
		const forced = await stableToken({ force_refresh: true });
		expect(forced.access_token).not.toBe(first.access_token);
		expect((await api(first.access_token, '/cgi-bin/draft/count')).total_count).toBe(0);
		clock += 29_000;
		expect((await stableToken({ force_refresh: true })).errcode).toBe(45011);
		expect((await api(first.access_token, '/cgi-bin/draft/count')).total_count).toBe(0);
		clock += 1_000;
		const again = await stableToken({ force_refresh: true });
		expect(again.access_token).not.toBe(forced.access_token);
		expect((await api(first.access_token, '/cgi-bin/draft/count')).total_count).toBe(0);
		clock += 271_000;
		expect((await api(first.access_token, '/cgi-bin/draft/count')).errcode).toBe(40001);
		expect((await stableToken({ force_refresh: true })).errcode).toBe(45011);
		expect((await stableToken()).access_token).toBe(again.access_token);
		clock += 86_400_000;
		expect((await stableToken({ force_refresh: true })).access_token).toEqual(expect.any(String));
	});

	it('a new classic token retires the previous one after the grace period', async () => {
		const first = await classicToken();
		clock += 1000;
		const second = await classicToken();
		expect(second.access_token).not.toBe(first.access_token);
		clock += 299_000;
		expect((await api(first.access_token, '/cgi-bin/draft/count')).total_count).toBe(0);
		clock += 1000;
		expect((await api(first.access_token, '/cgi-bin/draft/count')).errcode).toBe(40001);
		expect((await api(second.access_token, '/cgi-bin/draft/count')).total_count).toBe(0);
		expect(sandbox.stats.invalidatedTokens).toBe(1);
	});

	it('answers 42001 past the lifetime and after expireTokens(), 41001 without a token, 40001 for an unknown one', async () => {
		const stable = await stableToken();
		clock += 7_200_000;
		expect((await api(stable.access_token, '/cgi-bin/draft/count')).errcode).toBe(42001);
		const fresh = await stableToken();
		expect(fresh.access_token).not.toBe(stable.access_token);

		const classic = await classicToken();
		sandbox.expireTokens();
		// The two live tokens; the one that had expired by itself is not counted.
		expect(sandbox.stats.invalidatedTokens).toBe(2);
		expect((await api(classic.access_token, '/cgi-bin/draft/count')).errcode).toBe(42001);
		expect((await api(fresh.access_token, '/cgi-bin/draft/count')).errcode).toBe(42001);
		expect((await call('/cgi-bin/draft/count')).errcode).toBe(41001);
		expect((await api('not-a-token', '/cgi-bin/draft/count')).errcode).toBe(40001);
		expect((await stableToken()).access_token).not.toBe(fresh.access_token);
	});

	it('checks grant_type, appid and secret on both token endpoints', async () => {
		expect((await classicToken({ appid: 'wx-wrong' })).errcode).toBe(40013);
		expect((await classicToken({ secret: 'wrong' })).errcode).toBe(40125);
		expect((await classicToken({ grant_type: 'password' })).errcode).toBe(40002);
		expect((await stableToken({ appid: 'wx-wrong' })).errcode).toBe(40013);
		expect((await stableToken({ secret: 'wrong' })).errcode).toBe(40125);
		const refused = await stableToken({ secret: 'wrong' });
		expect(refused.errmsg).not.toContain(SANDBOX_DEFAULTS.appSecret);
		expect(sandbox.stats.issuedTokens).toEqual({ stable: 0, classic: 0, component: 0, authorizer: 0 });
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

	it('limits the text of the content to 20,000 characters and its HTML to under 1 MB (45002)', async () => {
		const cover = (await upload(token, '/cgi-bin/material/add_material?type=image', PNG)).media_id;
		const add = async (content: string) => (await api(token, '/cgi-bin/draft/add', { articles: [{ title: 't', content, thumb_media_id: cover }] })).errcode;
		const styled = (text: string) => `<p style="${'color:#333333;'.repeat(20)}">${text}</p>`;
		const text20k = Array.from({ length: 200 }, () => styled('字'.repeat(100))).join('\n');
		expect(text20k.length).toBeGreaterThan(70_000);
		expect(await add(text20k)).toBeUndefined();
		expect(await add(text20k + styled('x'))).toBe(45002);
		expect(await add(`<p>${'&amp;'.repeat(20_000)}</p>`)).toBeUndefined();
		expect(await add(`<p>${'&#x5b57;'.repeat(20_001)}</p>`)).toBe(45002);
		const heavy = Array.from({ length: 4000 }, () => styled('x')).join('');
		expect(Buffer.byteLength(heavy)).toBeGreaterThanOrEqual(1024 * 1024);
		expect(await add(heavy)).toBe(45002);
		expect(await add(heavy.slice(0, 1024 * 1024 - 1000))).toBeUndefined();
	});

	it('keeps inline SVG as WeChat does: shapes, text and listed animations, without ids, classes, defs or handlers', async () => {
		const cover = (await upload(token, '/cgi-bin/material/add_material?type=image', PNG)).media_id;
		const svg = (inner: string) => `<p><svg viewBox="0 0 10 10" id="s" class="c">${inner}</svg></p>`;
		const content = svg(
			'<defs><linearGradient id="g"><stop offset="0" stop-color="red"/></linearGradient></defs>' +
				'<rect width="5" height="5" fill="url(#g)" onclick="x()"/><text x="1" y="2">Hi</text>' +
				'<animate attributeName="opacity" from="0" to="1" dur="1s"/><set attributeName="href" to="#x"/>' +
				'<animateTransform attributeName="transform" type="rotate" from="0" to="90" dur="1s"></animateTransform>',
		);
		const { media_id } = await api(token, '/cgi-bin/draft/add', { articles: [{ title: 't', content, thumb_media_id: cover }] });
		expect((await api(token, '/cgi-bin/draft/get', { media_id })).news_item[0].content).toBe(
			svg(
				'<rect width="5" height="5" fill="url(#g)"/><text x="1" y="2">Hi</text><animate attributeName="opacity" from="0" to="1" dur="1s"/>' +
					'<animateTransform attributeName="transform" type="rotate" from="0" to="90" dur="1s"></animateTransform>',
			).replace(' id="s" class="c"', ''),
		);
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

/** A callback server that records each delivery and answers with the next queued status (then 200 success). */
class Catcher {
	readonly received: Array<{ query: URLSearchParams; contentType?: string; body: string }> = [];
	readonly statuses: number[] = [];
	private constructor(private readonly server: Server) {}

	static async start(): Promise<Catcher> {
		const catcher = new Catcher(createServer());
		catcher.server.on('request', (req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => {
				catcher.received.push({
					query: new URL(req.url ?? '/', 'http://catcher.invalid').searchParams,
					contentType: req.headers['content-type'],
					body: Buffer.concat(chunks).toString('utf8'),
				});
				const status = catcher.statuses.shift() ?? 200;
				res.writeHead(status, { 'Content-Type': 'text/plain' }).end(status === 200 ? 'success' : 'failure');
			});
		});
		await new Promise<void>((resolve) => catcher.server.listen(0, '127.0.0.1', resolve));
		return catcher;
	}

	get url(): string {
		return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhook/wechat`;
	}

	close(): Promise<void> {
		this.server.closeAllConnections();
		return new Promise((resolve) => this.server.close(() => resolve()));
	}
}

/** Verifies a delivery as the trigger must, and returns the plain XML inside it. */
function openDelivery(delivery: Catcher['received'][number], mode: PushMode): string {
	const { query, body } = delivery;
	const timestamp = query.get('timestamp')!;
	const nonce = query.get('nonce')!;
	expect(query.get('signature')).toBe(computeSignature(SANDBOX_DEFAULTS.token, timestamp, nonce));
	expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60);
	if (mode === 'plain') {
		expect(query.get('encrypt_type')).toBeNull();
		expect(query.get('msg_signature')).toBeNull();
		return body;
	}
	expect(query.get('encrypt_type')).toBe('aes');
	const encrypted = readEnvelopeEncrypt(body);
	expect(query.get('msg_signature')).toBe(computeSignature(SANDBOX_DEFAULTS.token, timestamp, nonce, encrypted));
	const xml = new MessageCrypto(SANDBOX_DEFAULTS.encodingAesKey, SANDBOX_DEFAULTS.appId).decrypt(encrypted);
	const outerFields = parseXmlMessage(body);
	expect(outerFields.Encrypt).toBe(encrypted);
	delete outerFields.Encrypt;
	// Safe mode shows only the recipient; compatible mode also shows every field in plain text.
	if (mode === 'safe') expect(outerFields).toEqual({ ToUserName: 'gh_4d00ed8d6399' });
	else expect(outerFields).toEqual(parseXmlMessage(xml));
	return xml;
}

describe('PUBLISHJOBFINISH pushes', () => {
	let catcher: Catcher;
	let token: string;
	beforeEach(async () => {
		catcher = await Catcher.start();
		token = (await stableToken()).access_token as string;
	});
	afterEach(() => catcher.close());

	it.each<PushMode>(['plain', 'compatible', 'safe'])('pushes a finished job in %s mode, signed and (aes) encrypted like WeChat', async (mode) => {
		sandbox.configure({ callback: { url: catcher.url, mode } });
		const mediaId = await createDraft(token, ['One', 'Two']);
		const { publish_id } = await api(token, '/cgi-bin/freepublish/submit', { media_id: mediaId });
		await sandbox.idle();

		expect(catcher.received).toHaveLength(1);
		const [delivery] = catcher.received;
		expect(delivery.contentType).toBe('text/xml');
		expect(delivery.query.get('openid')).toBe('oV5CrjpxgaGXNHIQigzNlgLTnwic');
		const xml = openDelivery(delivery, mode);
		expect(xml).toContain(`<publish_id>${publish_id}</publish_id>`);
		const item = toPublishEventItem(parseXmlMessage(xml));
		const polled = await api(token, '/cgi-bin/freepublish/get', { publish_id });
		expect(item).toMatchObject({
			MsgType: 'event',
			Event: 'PUBLISHJOBFINISH',
			publish_id,
			publish_status: 0,
			status: 'published',
			article_id: polled.article_id,
			article_detail: polled.article_detail,
			fail_idx: [],
		});
		expect(sandbox.pushes).toEqual([{ publishId: publish_id, status: 0, attempt: 1, httpStatus: 200, body: 'success', mode }]);
	});

	it('repeats fail_idx once per failing article', async () => {
		sandbox.configure({ callback: { url: catcher.url, mode: 'plain' }, publish: { status: 4 } });
		await api(token, '/cgi-bin/freepublish/submit', { media_id: await createDraft(token, ['A', 'B', 'C']) });
		await sandbox.idle();
		const xml = catcher.received[0].body;
		expect(xml.match(/<fail_idx>\d+<\/fail_idx>/g)).toEqual(['<fail_idx>1</fail_idx>', '<fail_idx>2</fail_idx>', '<fail_idx>3</fail_idx>']);
		expect(toPublishEventItem(parseXmlMessage(xml))).toMatchObject({ publish_status: 4, fail_idx: [1, 2, 3], article_detail: { count: 0, item: [] } });
	});

	it('retries a push the callback answers with 500, three tries in all, then sends the configured duplicates', async () => {
		// Tries begin a push timeout apart, like WeChat's 5 s; short here.
		sandbox.configure({ callback: { url: catcher.url, mode: 'safe' }, pushTimeoutMs: 300 });
		const started = Date.now();
		catcher.statuses.push(500, 500, 500);
		await api(token, '/cgi-bin/freepublish/submit', { media_id: await createDraft(token) });
		await sandbox.idle();
		expect(sandbox.pushes.map((push) => [push.attempt, push.httpStatus])).toEqual([[1, 500], [2, 500], [3, 500]]);
		expect(Date.now() - started).toBeGreaterThanOrEqual(600);

		sandbox.configure({ duplicatePushes: 2 });
		catcher.statuses.push(500);
		catcher.received.length = 0;
		await api(token, '/cgi-bin/freepublish/submit', { media_id: await createDraft(token) });
		await sandbox.idle();
		expect(sandbox.pushes.slice(3).map((push) => [push.attempt, push.httpStatus])).toEqual([[1, 500], [2, 200], [3, 200], [4, 200]]);
		expect(new Set(catcher.received.map((delivery) => delivery.query.toString() + delivery.body)).size).toBe(1);
	});

	it('records a callback that does not answer in time as a failed try', async () => {
		sandbox.configure({ pushTimeoutMs: 50 });
		const silent = createServer(() => undefined);
		await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
		sandbox.configure({ callback: { url: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`, mode: 'plain' } });
		await api(token, '/cgi-bin/freepublish/submit', { media_id: await createDraft(token) });
		await sandbox.idle();
		silent.closeAllConnections();
		silent.close();
		expect(sandbox.pushes.map((push) => [push.attempt, push.httpStatus])).toEqual([[1, 0], [2, 0], [3, 0]]);
	});

	it('pushEvent signs any event, and forges one on request', async () => {
		const event = { MsgType: 'event', Event: 'subscribe' };
		expect(await sandbox.pushEvent(event, { url: catcher.url, mode: 'compatible' })).toEqual({ status: 200, body: 'success' });
		expect(parseXmlMessage(openDelivery(catcher.received[0], 'compatible'))).toMatchObject({ ToUserName: 'gh_4d00ed8d6399', MsgType: 'event', Event: 'subscribe' });

		await sandbox.pushEvent('<xml><MsgType><![CDATA[text]]></MsgType></xml>', { url: catcher.url });
		expect(openDelivery(catcher.received[1], 'plain')).toBe('<xml><MsgType><![CDATA[text]]></MsgType></xml>');

		await sandbox.pushEvent(event, { url: catcher.url, mode: 'plain', tamper: 'signature' });
		await sandbox.pushEvent(event, { url: catcher.url, mode: 'safe', tamper: 'msg_signature' });
		await sandbox.pushEvent(event, { url: catcher.url, mode: 'safe', tamper: 'appid' });
		await sandbox.pushEvent(event, { url: catcher.url, mode: 'plain', tamper: 'timestamp' });
		const [badSignature, badMsgSignature, otherAppId, stale] = catcher.received.slice(2);
		const signed = ({ query }: Catcher['received'][number], ...extra: string[]) =>
			computeSignature(SANDBOX_DEFAULTS.token, query.get('timestamp')!, query.get('nonce')!, ...extra);
		expect(badSignature.query.get('signature')).toMatch(/^[0-9a-f]{40}$/);
		expect(badSignature.query.get('signature')).not.toBe(signed(badSignature));
		const forgedEncrypt = readEnvelopeEncrypt(badMsgSignature.body);
		expect(badMsgSignature.query.get('signature')).toBe(signed(badMsgSignature));
		expect(badMsgSignature.query.get('msg_signature')).not.toBe(signed(badMsgSignature, forgedEncrypt));
		const crypto = new MessageCrypto(SANDBOX_DEFAULTS.encodingAesKey, SANDBOX_DEFAULTS.appId);
		expect(crypto.decrypt(forgedEncrypt)).toContain('<Event><![CDATA[subscribe]]></Event>');
		const otherEncrypt = readEnvelopeEncrypt(otherAppId.body);
		expect(otherAppId.query.get('msg_signature')).toBe(signed(otherAppId, otherEncrypt));
		expect(() => crypto.decrypt(otherEncrypt)).toThrow(/another AppID/);
		expect(stale.query.get('signature')).toBe(signed(stale));
		expect(Date.now() / 1000 - Number(stale.query.get('timestamp'))).toBeGreaterThan(3000);
	});
});

describe('image uploads', () => {
	let token: string;
	beforeEach(async () => {
		token = (await stableToken()).access_token as string;
	});

	it('stores a permanent image and serves it at its url, byte for byte', async () => {
		const cover = await upload(token, '/cgi-bin/material/add_material?type=image', PNG);
		expect(cover).toEqual({ media_id: expect.any(String), url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\//) });
		const served = await fetch(cover.url);
		expect(served.headers.get('content-type')).toBe('image/png');
		expect(Buffer.from(await served.arrayBuffer())).toEqual(PNG);
		const inline = await upload(token, '/cgi-bin/media/uploadimg', PNG);
		expect(Object.keys(inline)).toEqual(['url']);
	});

	it('checks the type by magic bytes, the size, the field and the type parameter', async () => {
		const text = Buffer.from('GIF? no, just text');
		expect(await upload(token, '/cgi-bin/material/add_material?type=image', text, 'fake.png')).toMatchObject({ errcode: 41005, errmsg: expect.stringMatching(/^media data missing/) });
		const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 '), Buffer.alloc(10)]);
		expect((await upload(token, '/cgi-bin/media/uploadimg', webp, 'a.webp')).errcode).toBe(41005);
		const gif = Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(10)]);
		expect((await upload(token, '/cgi-bin/material/add_material?type=image', gif, 'a.gif')).media_id).toEqual(expect.any(String));
		expect(await upload(token, '/cgi-bin/media/uploadimg', gif, 'a.gif')).toMatchObject({ errcode: 40113, errmsg: expect.stringMatching(/^unsupported file type/) });
		const bigPng = Buffer.concat([PNG, Buffer.alloc(1024 * 1024)]);
		expect((await upload(token, '/cgi-bin/media/uploadimg', bigPng)).errcode).toBe(45001);
		expect((await upload(token, '/cgi-bin/material/add_material?type=image', bigPng)).media_id).toEqual(expect.any(String));
		const hugePng = Buffer.concat([PNG, Buffer.alloc(10 * 1024 * 1024)]);
		expect((await upload(token, '/cgi-bin/material/add_material?type=image', hugePng)).errcode).toBe(45001);
		expect((await upload(token, '/cgi-bin/material/add_material?type=voice', PNG)).errcode).toBe(40004);

		const { body, contentType } = multipart([{ name: 'file', filename: 'a.png', data: PNG }]);
		const wrongField = await fetch(`${sandbox.url}/cgi-bin/media/uploadimg?access_token=${token}`, { method: 'POST', headers: { 'Content-Type': contentType }, body });
		expect(((await wrongField.json()) as Json).errcode).toBe(41005);
	});

	it('reads a body built by the platform FormData, quoted boundary or not', async () => {
		const form = new FormData();
		form.append('description', 'ignored');
		form.append('media', new Blob([PNG], { type: 'image/png' }), '封面.png');
		const response = await fetch(`${sandbox.url}/cgi-bin/material/add_material?type=image&access_token=${token}`, { method: 'POST', body: form });
		expect(((await response.json()) as Json).media_id).toEqual(expect.any(String));

		const { body, contentType } = multipart([{ name: 'media', filename: 'a.png', data: PNG }]);
		const quoted = contentType.replace(/boundary=(.*)$/, 'boundary="$1"');
		const again = await fetch(`${sandbox.url}/cgi-bin/media/uploadimg?access_token=${token}`, { method: 'POST', headers: { 'Content-Type': quoted }, body });
		expect(((await again.json()) as Json).url).toEqual(expect.any(String));
	});
});

describe('control API', () => {
	async function control(path: string, json?: unknown): Promise<{ status: number; body: Json }> {
		const response = await fetch(sandbox.url + path, { method: json === undefined ? 'GET' : 'POST', body: json === undefined ? undefined : JSON.stringify(json) });
		return { status: response.status, body: (await response.json()) as Json };
	}

	it('shows the state without the AppSecret and changes it like the methods do', async () => {
		const token = (await stableToken()).access_token as string;
		const state = await control('/sandbox/state');
		expect(state.status).toBe(200);
		expect(state.body).toMatchObject({ url: sandbox.url, counts: { '/cgi-bin/stable_token': 1 }, stats: { submits: 0 }, jobs: [], pushes: [] });
		expect(state.body.config.appId).toBe(SANDBOX_DEFAULTS.appId);
		expect(JSON.stringify(state.body)).not.toContain(SANDBOX_DEFAULTS.appSecret);

		expect((await control('/sandbox/configure', { canPublish: false, publish: { status: 3 } })).body).toMatchObject({ canPublish: false, publish: { status: 3, delayMs: 20 } });
		expect(sandbox.config.canPublish).toBe(false);

		expect((await control('/sandbox/faults', { path: '/cgi-bin/draft/count', fault: { errcode: 45009 }, times: 1 })).status).toBe(200);
		expect((await api(token, '/cgi-bin/draft/count')).errcode).toBe(45009);
		expect((await control('/sandbox/faults', { path: '/cgi-bin/draft/count', fault: { nonsense: true } })).status).toBe(400);
		await control('/sandbox/faults', { path: '/cgi-bin/draft/count', fault: { errcode: -1 }, times: 5 });
		expect((await control('/sandbox/state')).body.faults['/cgi-bin/draft/count']).toEqual([{ fault: { errcode: -1 }, remaining: 5 }]);
		await control('/sandbox/clear-faults', {});
		expect((await api(token, '/cgi-bin/draft/count')).total_count).toBe(0);

		await control('/sandbox/expire-tokens', {});
		expect((await api(token, '/cgi-bin/draft/count')).errcode).toBe(42001);
		await control('/sandbox/reset-counts', {});
		expect(sandbox.counts()).toEqual({});
		expect((await control('/sandbox/nothing', {})).status).toBe(404);
	});

	it('pushes an event on request, signed for the callback', async () => {
		const catcher = await Catcher.start();
		try {
			const pushed = await control('/sandbox/push-event', { fields: { MsgType: 'event', Event: 'subscribe' }, url: catcher.url, mode: 'safe' });
			expect(pushed).toEqual({ status: 200, body: { status: 200, body: 'success' } });
			expect(parseXmlMessage(openDelivery(catcher.received[0], 'safe'))).toMatchObject({ Event: 'subscribe' });
			expect((await control('/sandbox/push-event', { fields: {}, url: catcher.url, mode: 'loud' })).status).toBe(400);
			expect((await control('/sandbox/push-event', { fields: {} })).status).toBe(400);
		} finally {
			await catcher.close();
		}
	});

	it('lists jobs with their status', async () => {
		const token = (await stableToken()).access_token as string;
		const mediaId = await createDraft(token);
		await control('/sandbox/mark-draft-fails-check', { media_id: mediaId });
		expect((await api(token, '/cgi-bin/freepublish/submit', { media_id: mediaId })).errcode).toBe(53503);
		const { publish_id } = await api(token, '/cgi-bin/freepublish/submit', { media_id: await createDraft(token) });
		await sandbox.idle();
		expect((await control('/sandbox/state')).body.jobs).toEqual([expect.objectContaining({ publish_id, publish_status: 0 })]);
	});
});
