import type { SandboxConfig } from './config';
import { fail } from './errors';
import { readUploadedImage, UPLOAD_RULES } from './media';
import type { PublishJob, SandboxState } from './state';
import type { TokenStore } from './tokens';

export interface RouteRequest {
	method: string;
	query: URLSearchParams;
	body: Buffer;
	contentType?: string;
}

/** A JSON answer, or a page or file served as is. */
export type RouteAnswer = Record<string, unknown> | { raw: { status: number; contentType: string; body: string | Buffer } };

type Handler = (request: RouteRequest) => RouteAnswer;

export interface RouteDeps {
	config: SandboxConfig;
	state: SandboxState;
	tokens: TokenStore;
	/** Starts the job's timer (and its push when it ends). */
	onSubmit(job: PublishJob): void;
	/** Ends the job now if its delay has passed, so a poll never sees a stale status. */
	settleIfDue(job: PublishJob): void;
}

const OK = { errcode: 0, errmsg: 'ok' };

/** A JSON request body as WeChat reads it: empty 44002, not a JSON object 47001. */
export function jsonBody(body: Buffer): Record<string, unknown> {
	const text = body.toString('utf8').trim();
	if (!text) fail(44002, 'empty post data');
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		fail(47001, 'data format error');
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) fail(47001, 'data format error');
	return parsed as Record<string, unknown>;
}

function checkAppCredentials(config: SandboxConfig, grantType: unknown, appId: unknown, secret: unknown): void {
	if (grantType !== 'client_credential') fail(40002, 'invalid grant_type');
	if (!appId) fail(41002, 'appid missing');
	if (appId !== config.appId) fail(40013, 'invalid appid');
	if (!secret) fail(41004, 'appsecret missing');
	if (secret !== config.appSecret) fail(40125, 'invalid appsecret');
}

/** The token endpoints: no access_token needed. */
export function tokenRoutes({ config, tokens }: RouteDeps): Map<string, Handler> {
	return new Map<string, Handler>([
		[
			'/cgi-bin/token',
			({ query }) => {
				checkAppCredentials(config, query.get('grant_type'), query.get('appid'), query.get('secret'));
				return { ...tokens.classic() };
			},
		],
		[
			'/cgi-bin/stable_token',
			({ body }) => {
				const json = jsonBody(body);
				checkAppCredentials(config, json.grant_type, json.appid, json.secret);
				return { ...tokens.stable(json.force_refresh === true) };
			},
		],
		[
			'/cgi-bin/component/api_component_token',
			({ body }) => {
				const json = jsonBody(body);
				const { component } = config;
				if (json.component_appid !== component.appId) fail(40013, 'invalid appid');
				if (json.component_appsecret !== component.appSecret) fail(40125, 'invalid appsecret');
				if (json.component_verify_ticket !== component.verifyTicket) fail(61006, 'component ticket is invalid');
				return tokens.component();
			},
		],
		[
			'/cgi-bin/component/api_authorizer_token',
			({ query, body }) => {
				tokens.check(query.get('component_access_token') ?? undefined, 'component');
				const json = jsonBody(body);
				if (json.component_appid !== config.component.appId) fail(40013, 'invalid appid');
				if (json.authorizer_appid !== config.appId) fail(61003, 'component is not authorized by this account');
				if (json.authorizer_refresh_token !== config.component.authorizerRefreshToken) fail(61023, 'refresh_token is invalid');
				return { ...tokens.authorizer(), authorizer_refresh_token: config.component.authorizerRefreshToken };
			},
		],
	]);
}

/** The draft, publishing and upload endpoints: each needs a valid access_token first. */
export function apiRoutes({ state, onSubmit, settleIfDue }: RouteDeps): Map<string, Handler> {
	const json = (handle: (body: Record<string, unknown>) => RouteAnswer): Handler => ({ body }) => handle(jsonBody(body));
	return new Map<string, Handler>([
		['/cgi-bin/draft/add', json((body) => state.addDraft(body))],
		['/cgi-bin/draft/get', json((body) => state.getDraft(body))],
		['/cgi-bin/draft/update', json((body) => (state.updateDraft(body), OK))],
		['/cgi-bin/draft/delete', json((body) => (state.deleteDraft(body), OK))],
		['/cgi-bin/draft/batchget', json((body) => state.listDrafts(body))],
		['/cgi-bin/draft/count', () => state.countDrafts()],
		[
			'/cgi-bin/freepublish/submit',
			json((body) => {
				const job = state.submit(body);
				onSubmit(job);
				return { ...OK, publish_id: job.publishId, msg_data_id: job.msgDataId };
			}),
		],
		[
			'/cgi-bin/freepublish/get',
			json((body) => {
				const job = state.job(body.publish_id);
				settleIfDue(job);
				return state.jobResult(job);
			}),
		],
		['/cgi-bin/freepublish/delete', json((body) => (state.deleteArticle(body), OK))],
		['/cgi-bin/freepublish/getarticle', json((body) => state.getArticle(body))],
		['/cgi-bin/freepublish/batchget', json((body) => state.listArticles(body))],
		[
			'/cgi-bin/material/add_material',
			({ query, body, contentType }) => {
				if (query.get('type') !== 'image') fail(40004, 'invalid media type');
				return state.storeImage(readUploadedImage(contentType, body, UPLOAD_RULES.material), true);
			},
		],
		['/cgi-bin/material/del_material', json((body) => (state.deleteImage(body), OK))],
		[
			'/cgi-bin/media/uploadimg',
			({ body, contentType }) =>
				state.storeImage(readUploadedImage(contentType, body, UPLOAD_RULES.contentImage), false),
		],
	]);
}

function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** What a browser finds at an article_url or an image url the sandbox handed out, or undefined. */
export function publicPage(state: SandboxState, path: string, query: URLSearchParams): RouteAnswer | undefined {
	const image = state.images.get(path);
	if (image) return { raw: { status: 200, contentType: image.contentType, body: image.data } };
	const articleId = /^\/s\/([A-Za-z0-9_-]+)$/.exec(path)?.[1];
	if (!articleId) return undefined;
	const article = state.articlePage(articleId, Number(query.get('idx') ?? 1));
	if (!article) {
		const gone = '<!DOCTYPE html><html><head><meta charset="utf-8"><title>WeChat</title></head><body><p>该内容已被发布者删除 (this content has been deleted)</p></body></html>';
		return { raw: { status: 404, contentType: 'text/html; charset=utf-8', body: gone } };
	}
	const title = escapeHtml(String(article.title));
	// Laid out like WeChat's article view on a phone: 375 px wide, the content as draft/add kept it.
	const page = `<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title><style>body{margin:0;background:#fff;font-family:-apple-system,BlinkMacSystemFont,"PingFang SC","Helvetica Neue",sans-serif;color:#333}#page{max-width:375px;margin:0 auto;padding:20px 16px;box-sizing:border-box}#activity-name{font-size:22px;line-height:1.4;margin:0 0 14px}#js_content{font-size:17px;line-height:1.6;overflow-wrap:break-word}#js_content img{max-width:100%;height:auto}</style></head><body><div id="page"><h1 id="activity-name">${title}</h1><div id="js_content">${String(article.content)}</div></div></body></html>`;
	return { raw: { status: 200, contentType: 'text/html; charset=utf-8', body: page } };
}
