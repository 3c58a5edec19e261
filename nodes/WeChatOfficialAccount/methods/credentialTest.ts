import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	INodeCredentialTestResult,
} from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { redact, type SendFunction, WeChatApiError, WeChatClient, type WeChatCredential } from '../../wechat/api';
import { toHttpResponse } from '../transport';

/** The credential-test context offers only n8n's legacy `request`; same contract as the transport's send. */
function sendThroughLegacyRequest(request: ICredentialTestFunctions['helpers']['request']): SendFunction {
	return async (outgoing) => {
		const response = (await request({
			uri: outgoing.url,
			method: outgoing.method,
			headers: outgoing.headers,
			body: outgoing.body,
			timeout: outgoing.timeoutMs,
			json: false,
			encoding: null,
			resolveWithFullResponse: true,
			simple: false,
		})) as { statusCode: number; body: unknown; headers?: IDataObject };
		return toHttpResponse(response);
	};
}

/**
 * Fetches a fresh access token with the entered AppID and AppSecret (bypassing the token cache,
 * so a cached token cannot hide a wrong secret) and explains WeChat's errcode when it fails:
 * 40013 wrong AppID, 40125 wrong AppSecret, 40164 this server's IP is not in the allow-list.
 */
export async function weChatOfficialAccountApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = (credential.data ?? {}) as Partial<WeChatCredential>;
	if (!data.appId || !data.appSecret) {
		return { status: 'Error', message: 'Enter the AppID and the AppSecret of the account' };
	}
	const mode = data.tokenMode === 'classic' ? 'classic' : 'stable';
	try {
		const client = new WeChatClient(
			{ appId: data.appId, appSecret: data.appSecret, baseUrl: data.baseUrl, tokenMode: mode },
			// eslint-disable-next-line @n8n/community-nodes/no-deprecated-workflow-functions -- a credential test gets only the legacy request helper (ICredentialTestFunctions)
			{ send: sendThroughLegacyRequest(this.helpers.request), sleep },
		);
		await client.fetchToken();
		return { status: 'OK', message: `Connection tested: WeChat issued an access token (${mode} mode) at ${client.baseUrl}` };
	} catch (error) {
		const message = error instanceof WeChatApiError ? error.message : `Could not reach WeChat: ${(error as Error).message}`;
		return { status: 'Error', message: redact(message, [data.appSecret]) };
	}
}
