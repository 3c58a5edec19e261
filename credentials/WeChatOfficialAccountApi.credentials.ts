import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { testWeChatCredential } from '../nodes/WeChatOfficialAccount/methods/credentialTest';
import { PLATFORM_PATHS } from '../nodes/wechat/platformPaths';

const TOKEN_SERVICE_ONLY = { show: { authMode: ['tokenService'] } };
const APP_SECRET_MODES = { show: { authMode: ['stable', 'classic'] } };

/**
 * One WeChat Official Account: where the API's access tokens come from (AppSecret with stable or
 * classic tokens, or a token service), fetched and cached by the nodes, not by n8n; and the
 * callback Token/EncodingAESKey for the trigger.
 *
 * The test: n8n gives a function test only its deprecated `request` helper, and a declarative
 * test can only compare values, not explain an errcode. So the test is `preAuthentication`, which
 * n8n runs on every credential test with its supported `httpRequest`: it fetches a token (and with
 * a token service makes one harmless read), and its error explains WeChat's errcode. It returns
 * nothing, so n8n stores nothing. The declarative request after it only has to reach the Base URL.
 */
export class WeChatOfficialAccountApi implements ICredentialType {
	name = 'weChatOfficialAccountApi';

	displayName = 'WeChat Official Account API';

	icon: Icon = {
		light: 'file:../nodes/WeChatOfficialAccount/wechat.svg',
		dark: 'file:../nodes/WeChatOfficialAccount/wechat.dark.svg',
	};

	documentationUrl = 'https://developers.weixin.qq.com/doc/offiaccount/en/Basic_Information/Get_access_token.html';

	properties: INodeProperties[] = [
		{
			displayName:
				'What each account can do: any account can create drafts. Publishing through the API (every Publish operation, and the publish results of the trigger) needs a verified account (微信认证) whose subject is not an individual (个人主体); other accounts publish (发表) or mass-send (群发) the draft by hand from 草稿箱 on mp.weixin.qq.com. Publish notifies nobody; a mass send (Mass Message) reaches followers and counts against the account\'s mass-send quota.',
			name: 'accountNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'AppID',
			name: 'appId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'wx0123456789abcdef',
			description: `The AppID (开发者ID) of the account, under ${PLATFORM_PATHS.basicInfo}`,
		},
		{
			displayName: 'AppSecret',
			name: 'appSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: APP_SECRET_MODES,
			description: `The AppSecret (开发者密钥), under ${PLATFORM_PATHS.developmentKeys}. The API also requires the public IP address of this n8n server in the IP allow-list (IP白名单) on that page (errcode 40164 otherwise).`,
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.weixin.qq.com',
			hint: 'Official hosts: https://api.weixin.qq.com (default; falls back to https://api2.weixin.qq.com when unreachable), https://sh.api.weixin.qq.com, https://sz.api.weixin.qq.com, https://hk.api.weixin.qq.com',
			description: 'Where the API calls go: an official host, or an egress proxy or local sandbox that forwards to WeChat',
		},
		{
			displayName: 'Auth Mode',
			name: 'authMode',
			type: 'options',
			options: [
				{
					name: 'Stable Token (Recommended)',
					value: 'stable',
					description:
						'Uses /cgi-bin/stable_token with the AppSecret: every n8n process and other tool sharing the account gets the same token',
				},
				{
					name: 'Classic Token',
					value: 'classic',
					description:
						'Uses /cgi-bin/token with the AppSecret: each fetch invalidates the previous token, so several n8n processes (queue-mode workers) or other tools using the same account knock each other out. Testing this credential fetches a new token too.',
				},
				{
					name: 'Token Service',
					value: 'tokenService',
					description:
						"Asks an HTTP service for the token: a central token server that already fetches the account's tokens, or a third-party platform's backend handing out authorizer_access_token. No AppSecret needed.",
				},
			],
			default: 'stable',
			description:
				'Where the access token comes from. Keep Stable unless a central token server or a third-party platform owns the tokens, or a gateway only allows /cgi-bin/token. A credential saved by an earlier version with Token Mode Classic keeps classic tokens while this is Stable.',
		},
		{
			// Auth Mode's earlier name. n8n hands a node only the fields declared here, so a
			// credential saved with it would lose its choice without this hidden field. Password:
			// n8n's scanner reads any field named like a token as a secret.
			displayName: 'Token Mode (Earlier Versions)',
			name: 'tokenMode',
			type: 'hidden',
			typeOptions: { password: true },
			default: '',
		},
		{
			displayName: 'Service URL',
			name: 'serviceUrl',
			type: 'string',
			default: '',
			required: true,
			displayOptions: TOKEN_SERVICE_ONLY,
			placeholder: 'https://tokens.example.com/wechat/token',
			description:
				'The token service. The node sends GET with appid (the AppID) added, and force_refresh=1 once after WeChat refused a token; the answer is JSON with the token and expires_in (seconds left; 300 when absent).',
		},
		{
			displayName: 'Service Header Name',
			name: 'serviceHeaderName',
			type: 'string',
			default: '',
			displayOptions: TOKEN_SERVICE_ONLY,
			placeholder: 'X-Api-Key',
			description: 'Optional: a header sent to the service with every request, for its secret',
		},
		{
			displayName: 'Service Header Value',
			name: 'serviceHeaderValue',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: TOKEN_SERVICE_ONLY,
			description: 'The value of that header. Never shown in messages.',
		},
		{
			displayName: 'Service Response Field',
			name: 'serviceResponseField',
			type: 'string',
			default: 'access_token',
			displayOptions: TOKEN_SERVICE_ONLY,
			description:
				'The JSON field of the answer holding the token: access_token for a central token server, authorizer_access_token for a third-party platform',
		},
		{
			displayName: 'Connection Check',
			name: 'connectionCheck',
			type: 'hidden',
			// n8n runs preAuthentication (the credential test) only for a credential with an expirable field; this one stays empty.
			typeOptions: { expirable: true },
			default: '',
		},
		{
			displayName: 'Callback Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: `Only for the trigger: the Token of the message push settings, under ${PLATFORM_PATHS.messagePush}`,
		},
		{
			displayName: 'EncodingAESKey',
			name: 'encodingAesKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Only for the trigger in compatible or safe mode: the 43-character EncodingAESKey of the same server settings',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<IDataObject> {
		await testWeChatCredential(this.helpers.httpRequest, credentials);
		return {};
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/cgi-bin/get_api_domain_ip',
			method: 'GET',
		},
	};
}
