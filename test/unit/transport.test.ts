/** weChatRead / weChatWrite / weChatUploadRequest through an IExecuteFunctions whose httpRequest really sends, against the sandbox. */
import type { IHttpRequestOptions } from 'n8n-workflow';

import { weChatRead, weChatUploadRequest, weChatWrite } from '../../nodes/WeChatOfficialAccount/transport';
import { createExecuteFunctions, type ExecuteFunctionsDouble } from '../helpers/executeFunctions';
import { createHttpRequest } from '../helpers/httpRequest';
import { apiFailure, ONE_PIXEL_PNG } from '../helpers/wechatApi';
import { WeChatSandbox } from '../sandbox';

let sandbox: WeChatSandbox;

beforeEach(async () => {
	// A fresh sandbox has a new port, so the process-wide token cache starts empty for it.
	sandbox = await WeChatSandbox.start({ publish: { delayMs: 60_000 } });
});

afterEach(async () => {
	await sandbox.close();
});

function execution(
	options: { authMode?: 'stable' | 'classic'; httpRequest?: (options: IHttpRequestOptions) => Promise<unknown> } = {},
): ExecuteFunctionsDouble {
	return createExecuteFunctions({
		parameters: {},
		credentials: {
			weChatOfficialAccountApi: {
				appId: sandbox.config.appId,
				appSecret: sandbox.config.appSecret,
				baseUrl: sandbox.url,
				authMode: options.authMode ?? 'stable',
				token: sandbox.config.token,
				encodingAesKey: sandbox.config.encodingAesKey,
			},
		},
		httpRequest: options.httpRequest,
	});
}

async function createDraft(context: ExecuteFunctionsDouble): Promise<string> {
	const cover = await weChatUploadRequest.call(
		context,
		'/cgi-bin/material/add_material',
		{ data: ONE_PIXEL_PNG, fileName: 'cover.png', mimeType: 'image/png' },
		{ query: { type: 'image' }, expect: ['media_id'] },
	);
	const draft = await weChatWrite.call(context, '/cgi-bin/draft/add', {
		articles: [{ title: 'Hello', content: '<p>世界</p>', thumb_media_id: cover.media_id }],
	});
	return draft.media_id as string;
}

it('uploads, creates, reads and counts drafts with the credential of the node', async () => {
	const context = execution();
	const mediaId = await createDraft(context);
	const draft = await weChatRead.call(context, 'POST', '/cgi-bin/draft/get', { media_id: mediaId });
	expect(draft.news_item).toEqual([expect.objectContaining({ title: 'Hello', content: '<p>世界</p>' })]);
	expect(await weChatRead.call(context, 'GET', '/cgi-bin/draft/count')).toMatchObject({ total_count: 1 });
	const image = await weChatUploadRequest.call(context, '/cgi-bin/media/uploadimg', { data: ONE_PIXEL_PNG, fileName: 'x.png', mimeType: 'image/png' }, { expect: ['url'] });
	expect(image).toEqual({ url: expect.stringMatching(/\/mmbiz\/.+\.png$/) });
});

it('sends what n8n expects: JSON with a content type, a multipart upload, a GET without a body', async () => {
	const context = execution();
	await createDraft(context);
	await weChatRead.call(context, 'GET', '/cgi-bin/draft/count');
	const [tokenRequest, upload, draftAdd, count] = context.sent;
	expect(tokenRequest.headers['Content-Type']).toMatch(/^application\/json/);
	expect(upload.headers['Content-Type']).toMatch(/^multipart\/form-data; boundary=/);
	expect(upload.url).toMatch(/\/cgi-bin\/material\/add_material\?type=image&access_token=/);
	expect(JSON.parse(draftAdd.body!.toString()).articles[0].content).toBe('<p>世界</p>');
	expect(count).toMatchObject({ method: 'GET', body: undefined });
});

it('executions of one process share the token: one token request for many executions', async () => {
	await Promise.all(
		Array.from({ length: 20 }, async () => await weChatRead.call(execution(), 'GET', '/cgi-bin/draft/count')),
	);
	await weChatRead.call(execution(), 'GET', '/cgi-bin/draft/count');
	expect(sandbox.count('/cgi-bin/stable_token')).toBe(1);
	expect(sandbox.count('/cgi-bin/draft/count')).toBe(21);
});

it('a revoked token: one refresh and one retry, then success', async () => {
	const context = execution({ authMode: 'classic' });
	await weChatRead.call(context, 'GET', '/cgi-bin/draft/count');
	sandbox.expireTokens();
	await expect(weChatRead.call(context, 'GET', '/cgi-bin/draft/count')).resolves.toMatchObject({ total_count: 0 });
	expect(sandbox.count('/cgi-bin/token')).toBe(2);
	expect(sandbox.count('/cgi-bin/draft/count')).toBe(2 + 1);
});

it('a submit answered by a 502 is an error with errcode undefined and is never resent', async () => {
	const context = execution();
	const mediaId = await createDraft(context);
	sandbox.injectFault('/cgi-bin/freepublish/submit', { httpStatus: 502 }, 5);
	const error = await apiFailure(weChatWrite.call(context, '/cgi-bin/freepublish/submit', { media_id: mediaId }));
	expect(error).toMatchObject({ errcode: undefined, httpStatus: 502, outcomeUnknown: true });
	expect(sandbox.count('/cgi-bin/freepublish/submit')).toBe(1);
});

it('an errcode is a WeChatApiError carrying it', async () => {
	sandbox.configure({ canPublish: false });
	const context = execution();
	const mediaId = await createDraft(context);
	const error = await apiFailure(weChatWrite.call(context, '/cgi-bin/freepublish/submit', { media_id: mediaId }));
	expect(error.errcode).toBe(48001);
	expect(error.message).toMatch(/^WeChat error 48001: API not authorised/);
});

it('a big numeric publish_id arrives as an exact string', async () => {
	const context = execution();
	sandbox.injectFault('/cgi-bin/freepublish/get', {
		httpStatus: 200,
		body: '{"publish_id":18446744073709551615,"publish_status":0,"article_id":"a","article_detail":{"count":0,"item":[]},"fail_idx":[]}',
	});
	const result = await weChatRead.call(context, 'POST', '/cgi-bin/freepublish/get', { publish_id: '18446744073709551615' });
	expect(result.publish_id).toBe('18446744073709551615');
});

it("n8n's HTTP errors (URL with ?access_token=, body with the AppSecret) never leak through the error", async () => {
	const real = createHttpRequest();
	let calls = 0;
	const failing = async (options: IHttpRequestOptions): Promise<unknown> => {
		calls++;
		// The token request succeeds; then the network fails the way axios does, with the whole request attached.
		if (calls === 1) return await real(options);
		throw Object.assign(new Error(`connect ETIMEDOUT ${options.url}`), {
			isAxiosError: true,
			code: 'ETIMEDOUT',
			config: { url: options.url, data: options.body, headers: options.headers },
			cause: Object.assign(new Error(`request to ${options.url} failed`), { code: 'ETIMEDOUT' }),
		});
	};
	const context = execution({ authMode: 'classic', httpRequest: failing });
	const error = await apiFailure(
		weChatWrite.call(context, '/cgi-bin/draft/add', { articles: [{ title: sandbox.config.appSecret }] }),
	);
	const everything = [error.message, error.description, error.stack, JSON.stringify(error), String(error)].join('\n');
	expect(everything).toContain('ETIMEDOUT');
	expect(everything).toContain('access_token=***');
	expect(everything).not.toContain(sandbox.config.appSecret);
	expect(everything).not.toMatch(/access_token=(?!\*\*\*)/);
	expect(error.outcomeUnknown).toBe(true);
	expect(calls).toBe(2);
});

it('a node without the credential fails before sending anything', async () => {
	const context = createExecuteFunctions({ parameters: {} });
	await expect(weChatRead.call(context, 'GET', '/cgi-bin/draft/count')).rejects.toThrow(/weChatOfficialAccountApi/);
	expect(context.sent).toEqual([]);
});

it('reads the credential once per node run, however many requests the run makes', async () => {
	const context = execution();
	const getCredentials = context.getCredentials.bind(context);
	let reads = 0;
	context.getCredentials = (async (type: string) => {
		reads++;
		return await getCredentials(type);
	}) as typeof context.getCredentials;
	for (let i = 0; i < 3; i++) {
		expect(await weChatRead.call(context, 'GET', '/cgi-bin/draft/count')).toEqual({ total_count: 0 });
	}
	expect(reads).toBe(1);
	expect(sandbox.count('/cgi-bin/draft/count')).toBe(3);

	// Another run (another context) reads it afresh.
	await weChatRead.call(execution(), 'GET', '/cgi-bin/draft/count');
	expect(sandbox.count('/cgi-bin/draft/count')).toBe(4);
});
