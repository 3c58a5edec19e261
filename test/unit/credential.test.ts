/** The credential's description and its node-level test against the sandbox (n8n's legacy request, as in a credential test). */
import type { ICredentialDataDecryptedObject, ICredentialTestFunctions } from 'n8n-workflow';

import { WeChatOfficialAccountApi } from '../../credentials/WeChatOfficialAccountApi.credentials';
import { weChatOfficialAccountApiTest } from '../../nodes/WeChatOfficialAccount/methods/credentialTest';
import { createLegacyRequest, type SentRequest } from '../helpers/httpRequest';
import { WeChatSandbox } from '../sandbox';

let sandbox: WeChatSandbox;

beforeEach(async () => {
	sandbox = await WeChatSandbox.start();
});

afterEach(async () => {
	await sandbox.close();
});

function testContext(sent: SentRequest[] = []): ICredentialTestFunctions {
	return { helpers: { request: createLegacyRequest(sent) } } as unknown as ICredentialTestFunctions;
}

async function testCredential(data: ICredentialDataDecryptedObject, sent: SentRequest[] = []) {
	return await weChatOfficialAccountApiTest.call(testContext(sent), {
		id: 'credential-id',
		name: 'WeChat',
		type: 'weChatOfficialAccountApi',
		data: { appId: sandbox.config.appId, appSecret: sandbox.config.appSecret, baseUrl: sandbox.url, ...data },
	});
}

describe('credential description', () => {
	const credential = new WeChatOfficialAccountApi();
	const field = (name: string) => credential.properties.find((property) => property.name === name);

	it('has the name, fields and defaults of the public contract', () => {
		expect(credential.name).toBe('weChatOfficialAccountApi');
		expect(credential.displayName).toBe('WeChat Official Account API');
		expect(credential.properties.map((property) => property.name)).toEqual([
			'appId',
			'appSecret',
			'baseUrl',
			'tokenMode',
			'token',
			'encodingAesKey',
		]);
		expect(field('appId')).toMatchObject({ type: 'string', required: true });
		expect(field('baseUrl')).toMatchObject({ type: 'string', default: 'https://api.weixin.qq.com' });
		expect(field('tokenMode')).toMatchObject({ type: 'options', default: 'stable' });
		expect((field('tokenMode')?.options ?? []).map((option) => (option as { value: string }).value)).toEqual(['stable', 'classic']);
	});

	it.each(['appSecret', 'token', 'encodingAesKey'])('%s is a password field', (name) => {
		expect(field(name)?.typeOptions?.password).toBe(true);
	});

	it('names every official host in the Base URL hint', () => {
		for (const host of ['api.weixin.qq.com', 'api2.weixin.qq.com', 'sh.api.weixin.qq.com', 'sz.api.weixin.qq.com', 'hk.api.weixin.qq.com']) {
			expect(field('baseUrl')?.hint).toContain(`https://${host}`);
		}
	});
});

describe('credential test', () => {
	it.each(['stable', 'classic'])('passes with the right AppID and AppSecret (%s mode)', async (tokenMode) => {
		await expect(testCredential({ tokenMode })).resolves.toEqual({
			status: 'OK',
			message: expect.stringContaining(`(${tokenMode} mode)`),
		});
		expect(sandbox.count(tokenMode === 'stable' ? '/cgi-bin/stable_token' : '/cgi-bin/token')).toBe(1);
	});

	it('fetches anew each time: a token cached by earlier calls cannot hide a wrong secret', async () => {
		await testCredential({});
		await testCredential({});
		expect(sandbox.count('/cgi-bin/stable_token')).toBe(2);
	});

	it.each([
		[40013, { appId: 'wx_wrong_app_id' }, /40013: Invalid AppID.*Check the AppID/],
		[40125, { appSecret: 'a-wrong-app-secret-of-32-chars!!' }, /40125: Invalid AppSecret.*reset it on the platform/],
	])('explains errcode %i', async (_errcode, data, message) => {
		const result = await testCredential({ tokenMode: 'classic', ...data });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(message);
		expect(result.message).not.toContain(sandbox.config.appSecret);
		expect(result.message).not.toContain('a-wrong-app-secret-of-32-chars!!');
	});

	it('explains 40164: the server IP is not in the allow-list', async () => {
		sandbox.injectFault('/cgi-bin/stable_token', { errcode: 40164, errmsg: 'invalid ip 203.0.113.7 ipv6 ::ffff:203.0.113.7, not in whitelist' });
		const result = await testCredential({});
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/40164: .*IP allow-list.*\(invalid ip 203\.0\.113\.7 .*IP Whitelist/);
	});

	it('reports an unreachable Base URL without the secret', async () => {
		const result = await testCredential({ baseUrl: 'http://127.0.0.1:1', tokenMode: 'classic' });
		expect(result).toEqual({ status: 'Error', message: expect.stringMatching(/Could not connect to 127\.0\.0\.1:1 \(ECONNREFUSED\)/) });
	});

	it('asks for the AppID and AppSecret when they are empty', async () => {
		const sent: SentRequest[] = [];
		await expect(testCredential({ appSecret: '' }, sent)).resolves.toEqual({ status: 'Error', message: expect.stringMatching(/AppSecret/) });
		expect(sent).toEqual([]);
	});
});
