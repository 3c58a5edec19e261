import type { ICredentialDataDecryptedObject, IHttpRequestHelper } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { redact, WeChatApiError } from '../../wechat/api';
import { TokenCache } from '../../wechat/token';
import { authModeOf, createWeChatClient, type WeChatCredential } from '../../wechat/tokenSources';
import { sendThroughN8n } from '../transport';

/** The cheapest read the nodes rely on: proves a token from a service works for this account. */
const HARMLESS_READ = '/cgi-bin/draft/count';

/**
 * The credential test, run by n8n through the credential's `preAuthentication` (the one place a
 * credential test gets n8n's supported `httpRequest`). It fetches a fresh token (a private cache,
 * so a token cached by earlier runs cannot hide a wrong secret) and explains WeChat's errcode when
 * that fails: 40013 wrong AppID, 40125 wrong AppSecret, 40164 this server's IP is not in the
 * allow-list. With a token service it then makes one harmless read with the service's token.
 * Resolves with what was checked; rejects with an Error whose message holds no secret.
 */
export async function testWeChatCredential(
	httpRequest: IHttpRequestHelper['helpers']['httpRequest'],
	credential: ICredentialDataDecryptedObject,
): Promise<string> {
	const data = credential as unknown as WeChatCredential;
	const mode = authModeOf(data);
	const secrets = [data.appSecret, data.serviceUrl, data.serviceHeaderValue];
	if (!data.appId) throw new Error('Enter the AppID of the account');
	if (mode !== 'tokenService' && !data.appSecret) throw new Error('Enter the AppSecret of the account');
	if (mode === 'tokenService' && !data.serviceUrl) throw new Error('Enter the Service URL of the token service');
	const outcome = await checkWithClient(httpRequest, data, mode).then(
		(checked) => ({ checked }),
		(error: unknown) => ({ error }),
	);
	if ('checked' in outcome) return outcome.checked;
	const { error } = outcome;
	const message = error instanceof WeChatApiError ? error.message : `Could not complete the test: ${(error as Error).message}`;
	throw new Error(redact(message, secrets));
}

async function checkWithClient(
	httpRequest: IHttpRequestHelper['helpers']['httpRequest'],
	data: WeChatCredential,
	mode: string,
): Promise<string> {
	const client = createWeChatClient(data, {
		send: sendThroughN8n(async (options) => await httpRequest(options)),
		sleep,
		tokenCache: new TokenCache(),
	});
	if (mode !== 'tokenService') {
		await client.fetchToken();
		return `WeChat issued an access token (${mode} mode) at ${client.baseUrl}`;
	}
	await client.read('GET', HARMLESS_READ);
	return `The token service's token works at ${client.baseUrl}`;
}
