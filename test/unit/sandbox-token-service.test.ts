/** The sandbox's third-party platform endpoints and its token service, over HTTP. */
import { SandboxTokenService, TOKEN_SERVICE_HEADER, TOKEN_SERVICE_SECRET, WeChatSandbox } from '../sandbox';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let sandbox: WeChatSandbox;

beforeEach(async () => {
	sandbox = await WeChatSandbox.start();
});

afterEach(async () => {
	await sandbox.close();
});

async function post(path: string, body: unknown): Promise<Json> {
	const response = await fetch(sandbox.url + path, { method: 'POST', body: JSON.stringify(body) });
	return (await response.json()) as Json;
}

function componentToken(overrides: Record<string, string> = {}): Promise<Json> {
	const { appId, appSecret, verifyTicket } = sandbox.config.component;
	return post('/cgi-bin/component/api_component_token', {
		component_appid: appId,
		component_appsecret: appSecret,
		component_verify_ticket: verifyTicket,
		...overrides,
	});
}

function authorizerToken(componentAccessToken: string, overrides: Record<string, string> = {}): Promise<Json> {
	return post(`/cgi-bin/component/api_authorizer_token?component_access_token=${encodeURIComponent(componentAccessToken)}`, {
		component_appid: sandbox.config.component.appId,
		authorizer_appid: sandbox.config.appId,
		authorizer_refresh_token: sandbox.config.component.authorizerRefreshToken,
		...overrides,
	});
}

async function draftCount(token: string): Promise<Json> {
	return (await (await fetch(`${sandbox.url}/cgi-bin/draft/count?access_token=${encodeURIComponent(token)}`)).json()) as Json;
}

describe('third-party platform endpoints', () => {
	it('component token with the ticket, then an authorizer token the API accepts', async () => {
		const component = await componentToken();
		expect(component).toEqual({ component_access_token: expect.any(String), expires_in: 7200 });
		const authorizer = await authorizerToken(component.component_access_token as string);
		expect(authorizer).toEqual({
			authorizer_access_token: expect.any(String),
			expires_in: 7200,
			authorizer_refresh_token: sandbox.config.component.authorizerRefreshToken,
		});
		await expect(draftCount(authorizer.authorizer_access_token as string)).resolves.toEqual({ total_count: 0 });
		// A component token is no access token.
		await expect(draftCount(component.component_access_token as string)).resolves.toMatchObject({ errcode: 40001 });
		expect(sandbox.stats.issuedTokens).toMatchObject({ component: 1, authorizer: 1 });
	});

	it.each([
		[{ component_verify_ticket: 'ticket@@@stale' }, 61006],
		[{ component_appsecret: 'wrong-component-secret' }, 40125],
		[{ component_appid: 'wx_other_component' }, 40013],
	])('api_component_token refuses %j with %i', async (overrides, errcode) => {
		await expect(componentToken(overrides)).resolves.toMatchObject({ errcode });
	});

	it('api_authorizer_token checks the component token, the authorizer and its refresh token', async () => {
		const component = (await componentToken()).component_access_token as string;
		await expect(authorizerToken('not-a-component-token')).resolves.toMatchObject({ errcode: 40001 });
		await expect(authorizerToken(component, { authorizer_appid: 'wx_not_authorized' })).resolves.toMatchObject({ errcode: 61003 });
		await expect(authorizerToken(component, { authorizer_refresh_token: 'refreshtoken@@@wrong' })).resolves.toMatchObject({ errcode: 61023 });
		sandbox.expireTokens();
		await expect(authorizerToken(component)).resolves.toMatchObject({ errcode: 42001 });
	});

	it('never shows the component secret in the control state', async () => {
		const state = (await (await fetch(`${sandbox.url}/sandbox/state`)).json()) as Json;
		expect(state.config.component).toEqual({ appId: sandbox.config.component.appId });
		expect(JSON.stringify(state)).not.toContain(sandbox.config.component.appSecret);
	});
});

describe('token service', () => {
	let service: SandboxTokenService;

	beforeEach(async () => {
		service = await SandboxTokenService.forSandbox(sandbox);
	});

	afterEach(async () => {
		await service.close();
	});

	async function ask(query = `appid=${sandbox.config.appId}`, headers: Record<string, string> = { [TOKEN_SERVICE_HEADER]: TOKEN_SERVICE_SECRET }) {
		const response = await fetch(`${service.tokenUrl}?${query}`, { headers });
		return { status: response.status, body: (await response.json()) as Json };
	}

	it('hands out one authorizer token per lifetime to any number of callers', async () => {
		const answers = await Promise.all(Array.from({ length: 10 }, async () => await ask()));
		const tokens = new Set(answers.map((answer) => answer.body.authorizer_access_token as string));
		expect(tokens.size).toBe(1);
		expect(answers[0]).toEqual({ status: 200, body: { authorizer_access_token: expect.any(String), expires_in: expect.any(Number) } });
		await expect(draftCount([...tokens][0])).resolves.toEqual({ total_count: 0 });
		expect(service.stats).toMatchObject({ requests: 10, componentTokenFetches: 1, authorizerTokenFetches: 1 });
	});

	it('force_refresh=1 fetches a new token, also after WeChat expired the component token', async () => {
		const first = (await ask()).body.authorizer_access_token as string;
		sandbox.expireTokens();
		await expect(draftCount(first)).resolves.toMatchObject({ errcode: 42001 });
		const fresh = (await ask(`appid=${sandbox.config.appId}&force_refresh=1`)).body.authorizer_access_token as string;
		expect(fresh).not.toBe(first);
		await expect(draftCount(fresh)).resolves.toEqual({ total_count: 0 });
		expect(service.stats).toMatchObject({ forcedRefreshes: 1, componentTokenFetches: 2, authorizerTokenFetches: 3 });
	});

	it('refuses a missing or wrong header secret and an account that did not authorize the platform', async () => {
		await expect(ask(undefined, {})).resolves.toEqual({ status: 401, body: { error: `missing or wrong ${TOKEN_SERVICE_HEADER} header` } });
		await expect(ask(undefined, { [TOKEN_SERVICE_HEADER]: 'wrong' })).resolves.toMatchObject({ status: 401 });
		await expect(ask('appid=wx_other')).resolves.toMatchObject({ status: 404 });
		expect(service.stats).toMatchObject({ refused: 2, componentTokenFetches: 0 });
		expect(sandbox.counts()).toEqual({});
	});
});

describe('expireTokensAfter', () => {
	it('answers the next n API calls, then every token answers 42001', async () => {
		const component = (await componentToken()).component_access_token as string;
		const token = (await authorizerToken(component)).authorizer_access_token as string;
		const control = await fetch(`${sandbox.url}/sandbox/expire-tokens`, { method: 'POST', body: JSON.stringify({ afterCalls: 2 }) });
		expect(control.status).toBe(200);
		await expect(draftCount(token)).resolves.toEqual({ total_count: 0 });
		await expect(draftCount(token)).resolves.toEqual({ total_count: 0 });
		await expect(draftCount(token)).resolves.toMatchObject({ errcode: 42001 });
		const fresh = (await authorizerToken((await componentToken()).component_access_token as string)).authorizer_access_token as string;
		await expect(draftCount(fresh)).resolves.toEqual({ total_count: 0 });
		expect(sandbox.stats.invalidatedTokens).toBeGreaterThan(0);
	});
});
