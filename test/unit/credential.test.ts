/**
 * The credential's description and its test against the sandbox. n8n runs the test as the
 * credential's preAuthentication with only its supported `httpRequest` helper: the context here
 * offers nothing else (no legacy `request`).
 */
import type { ICredentialDataDecryptedObject, IHttpRequestHelper } from 'n8n-workflow';

import { WeChatOfficialAccountApi } from '../../credentials/WeChatOfficialAccountApi.credentials';
import { WeChatOfficialAccount } from '../../nodes/WeChatOfficialAccount/WeChatOfficialAccount.node';
import { WeChatOfficialAccountTrigger } from '../../nodes/WeChatOfficialAccountTrigger/WeChatOfficialAccountTrigger.node';
import { createHttpRequest, type SentRequest } from '../helpers/httpRequest';
import { SandboxTokenService, TOKEN_SERVICE_HEADER, TOKEN_SERVICE_SECRET, WeChatSandbox } from '../sandbox';

let sandbox: WeChatSandbox;

beforeEach(async () => {
	sandbox = await WeChatSandbox.start();
});

afterEach(async () => {
	await sandbox.close();
});

const credentialType = new WeChatOfficialAccountApi();

/** Runs the credential test as n8n does: `preAuthentication` with `{ helpers: { httpRequest } }`. */
async function testCredential(
	data: ICredentialDataDecryptedObject,
	sent: SentRequest[] = [],
): Promise<{ status: 'OK' | 'Error'; message: string }> {
	const context: IHttpRequestHelper = { helpers: { httpRequest: createHttpRequest(sent) } };
	const credentials = { appId: sandbox.config.appId, appSecret: sandbox.config.appSecret, baseUrl: sandbox.url, ...data };
	return await credentialType.preAuthentication!.call(context, credentials).then(
		(stored) => {
			// Nothing to store: n8n persists only what preAuthentication returns.
			expect(stored).toEqual({});
			return { status: 'OK' as const, message: '' };
		},
		(error: Error) => ({ status: 'Error' as const, message: error.message }),
	);
}

describe('credential description', () => {
	const credential = new WeChatOfficialAccountApi();
	const field = (name: string) => credential.properties.find((property) => property.name === name);

	it('has the name, fields and defaults of the public contract', () => {
		expect(credential.name).toBe('weChatOfficialAccountApi');
		expect(credential.displayName).toBe('WeChat Official Account API');
		expect(credential.properties.map((property) => property.name)).toEqual([
			'accountNotice',
			'appId',
			'appSecret',
			'baseUrl',
			'authMode',
			'tokenMode',
			'serviceUrl',
			'serviceHeaderName',
			'serviceHeaderValue',
			'serviceResponseField',
			'connectionCheck',
			'token',
			'encodingAesKey',
		]);
		expect(field('appId')).toMatchObject({ type: 'string', required: true });
		expect(field('baseUrl')).toMatchObject({ type: 'string', default: 'https://api.weixin.qq.com' });
		expect(field('authMode')).toMatchObject({ type: 'options', default: 'stable' });
		expect((field('authMode')?.options ?? []).map((option) => (option as { value: string }).value)).toEqual([
			'stable',
			'classic',
			'tokenService',
		]);
		expect(field('serviceResponseField')).toMatchObject({ type: 'string', default: 'access_token' });
		expect(field('serviceUrl')).toMatchObject({ type: 'string', displayOptions: { show: { authMode: ['tokenService'] } } });
	});

	it("names no visible field *token* unless it is a secret (n8n's scanner reads such a field as one)", () => {
		const tokenNamed = credential.properties.filter((property) => /token/i.test(property.name) && property.type !== 'hidden');
		for (const property of tokenNamed) expect([property.name, property.typeOptions?.password]).toEqual([property.name, true]);
	});

	it('is tested by the credential itself, not by a node function on the legacy request helper', () => {
		expect(credential.test?.request).toMatchObject({ baseURL: '={{$credentials.baseUrl}}' });
		expect(credential.preAuthentication).toBeInstanceOf(Function);
		// preAuthentication runs only for a credential with an empty expirable hidden field.
		expect(field('connectionCheck')).toMatchObject({ type: 'hidden', typeOptions: { expirable: true }, default: '' });
		const triggerVersions = Object.values(new WeChatOfficialAccountTrigger().nodeVersions);
		for (const { description } of [new WeChatOfficialAccount(), ...triggerVersions]) {
			expect(description.credentials).toEqual([expect.objectContaining({ name: 'weChatOfficialAccountApi', required: true })]);
			expect(description.credentials?.[0]).not.toHaveProperty('testedBy');
		}
	});

	it.each(['appSecret', 'serviceHeaderValue', 'token', 'encodingAesKey'])('%s is a password field', (name) => {
		expect(field(name)?.typeOptions?.password).toBe(true);
	});

	it('names every official host in the Base URL hint', () => {
		for (const host of ['api.weixin.qq.com', 'api2.weixin.qq.com', 'sh.api.weixin.qq.com', 'sz.api.weixin.qq.com', 'hk.api.weixin.qq.com']) {
			expect(field('baseUrl')?.hint).toContain(`https://${host}`);
		}
	});
});

describe('credential test', () => {
	it.each(['stable', 'classic'])('passes with the right AppID and AppSecret (%s mode)', async (authMode) => {
		await expect(testCredential({ authMode })).resolves.toEqual({ status: 'OK', message: '' });
		expect(sandbox.count(authMode === 'stable' ? '/cgi-bin/stable_token' : '/cgi-bin/token')).toBe(1);
	});

	it('fetches anew each time: a token cached by earlier calls cannot hide a wrong secret', async () => {
		await testCredential({});
		await testCredential({});
		expect(sandbox.count('/cgi-bin/stable_token')).toBe(2);
	});

	it.each([
		[40013, { appId: 'wx_wrong_app_id' }, /40013: Invalid AppID.*Check the AppID/],
		[40125, { appSecret: 'a-wrong-app-secret-of-32-chars!!' }, /40125: Invalid AppSecret.*reset it under WeChat Developer Platform → .*开发密钥\)/],
	])('explains errcode %i', async (_errcode, data, message) => {
		const result = await testCredential({ authMode: 'classic', ...data });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(message);
		expect(result.message).not.toContain(sandbox.config.appSecret);
		expect(result.message).not.toContain('a-wrong-app-secret-of-32-chars!!');
	});

	it('explains 40164: the server IP is not in the allow-list', async () => {
		sandbox.injectFault('/cgi-bin/stable_token', { errcode: 40164, errmsg: 'invalid ip 203.0.113.7 ipv6 ::ffff:203.0.113.7, not in whitelist' });
		const result = await testCredential({});
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/40164: .*IP allow-list.*\(invalid ip 203\.0\.113\.7 .*IP白名单.*Development Keys/);
	});

	it('reports an unreachable Base URL without the secret', async () => {
		const result = await testCredential({ baseUrl: 'http://127.0.0.1:1', authMode: 'classic' });
		expect(result).toEqual({ status: 'Error', message: expect.stringMatching(/Could not connect to 127\.0\.0\.1:1 \(ECONNREFUSED\)/) });
	});

	it('asks for the AppSecret when it is empty, sending nothing', async () => {
		const sent: SentRequest[] = [];
		await expect(testCredential({ appSecret: '' }, sent)).resolves.toEqual({ status: 'Error', message: expect.stringMatching(/AppSecret/) });
		expect(sent).toEqual([]);
	});
});

describe('credential test with a token service', () => {
	let service: SandboxTokenService;

	beforeEach(async () => {
		service = await SandboxTokenService.forSandbox(sandbox);
	});

	afterEach(async () => {
		await service.close();
	});

	const serviceCredential = (overrides: ICredentialDataDecryptedObject = {}) => ({
		authMode: 'tokenService',
		appSecret: '',
		serviceUrl: service.tokenUrl,
		serviceHeaderName: TOKEN_SERVICE_HEADER,
		serviceHeaderValue: TOKEN_SERVICE_SECRET,
		serviceResponseField: 'authorizer_access_token',
		...overrides,
	});

	it('fetches a token from the service, then makes one harmless read with it', async () => {
		const sent: SentRequest[] = [];
		await expect(testCredential(serviceCredential(), sent)).resolves.toEqual({ status: 'OK', message: '' });
		expect(service.stats.requests).toBe(1);
		expect(sandbox.count('/cgi-bin/draft/count')).toBe(1);
		expect(sandbox.count('/cgi-bin/stable_token') + sandbox.count('/cgi-bin/token')).toBe(0);
		expect(sent.map((request) => new URL(request.url).pathname)).toEqual(['/token', '/cgi-bin/draft/count']);
		expect(sent[0].headers[TOKEN_SERVICE_HEADER]).toBe(TOKEN_SERVICE_SECRET);
	});

	it("a wrong header secret: the service's answer, nothing sent to WeChat, no secret shown", async () => {
		const wrong = 'not-the-service-key-0123456789';
		const result = await testCredential(serviceCredential({ serviceHeaderValue: wrong }));
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/token service answered HTTP 401: .*missing or wrong X-Token-Service-Key header.*Nothing was sent to WeChat/);
		expect(result.message).not.toContain(wrong);
		expect(result.message).not.toContain(service.tokenUrl);
		expect(sandbox.counts()).toEqual({});
		expect(service.stats.refused).toBe(1);
	});

	it('a wrong response field names the fields the service answered, not their values', async () => {
		const result = await testCredential(serviceCredential({ serviceResponseField: 'access_token' }));
		expect(result.message).toMatch(/has no "access_token" field holding a token \(its fields: authorizer_access_token, expires_in\)/);
		expect(sandbox.count('/cgi-bin/draft/count')).toBe(0);
	});

	it('an unreachable service: the code, never the URL', async () => {
		const url = `http://127.0.0.1:1/token?key=secret-in-the-query-0123`;
		const result = await testCredential(serviceCredential({ serviceUrl: url }));
		expect(result.message).toMatch(/Could not reach the token service \(ECONNREFUSED\); nothing was sent to WeChat/);
		expect(result.message).not.toContain('secret-in-the-query-0123');
	});
});
