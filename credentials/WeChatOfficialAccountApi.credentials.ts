import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * One WeChat Official Account: AppID/AppSecret for the API (access tokens are fetched and cached
 * by the nodes, not by n8n), and the callback Token/EncodingAESKey for the trigger.
 * Tested by the nodes' `methods.credentialTest.weChatOfficialAccountApiTest`, which fetches a token
 * and explains WeChat's errcode (a declarative test could only compare values).
 */
export class WeChatOfficialAccountApi implements ICredentialType {
	name = 'weChatOfficialAccountApi';

	displayName = 'WeChat Official Account API';

	icon: Icon = {
		light: 'file:../nodes/WeChatOfficialAccount/wechat.svg',
		dark: 'file:../nodes/WeChatOfficialAccount/wechat.dark.svg',
	};

	// eslint-disable-next-line n8n-nodes-base/cred-class-field-documentation-url-miscased -- that rule is for slugs of n8n's own docs (n8n-nodes-starter turns it off); a community credential links a URL
	documentationUrl = 'https://developers.weixin.qq.com/doc/offiaccount/en/Basic_Information/Get_access_token.html';

	properties: INodeProperties[] = [
		{
			displayName: 'AppID',
			name: 'appId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'wx0123456789abcdef',
			description:
				'The developer ID of the account, on the platform under 设置与开发 → 基本配置 (Settings and Development → Basic Configuration)',
		},
		{
			displayName: 'AppSecret',
			name: 'appSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The developer password, on the platform under 设置与开发 → 基本配置 (Settings and Development → Basic Configuration). The API also requires the public IP address of this n8n server in the IP allow-list on that page (errcode 40164 otherwise).',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.weixin.qq.com',
			hint: 'Official hosts: https://api.weixin.qq.com (default; falls back to https://api2.weixin.qq.com when unreachable), https://sh.api.weixin.qq.com, https://sz.api.weixin.qq.com, https://hk.api.weixin.qq.com',
			description: 'Where the API calls go: an official host, or an egress proxy or local sandbox that forwards to WeChat',
		},
		// eslint-disable-next-line @n8n/community-nodes/credential-password-field -- a choice between two modes, not a token; its name is fixed by the public contract
		{
			displayName: 'Token Mode',
			name: 'tokenMode',
			type: 'options',
			options: [
				{
					name: 'Stable Token (Recommended)',
					value: 'stable',
					description:
						'Uses /cgi-bin/stable_token: every n8n process and other tool sharing the account gets the same token',
				},
				{
					name: 'Classic Token',
					value: 'classic',
					description:
						'Uses /cgi-bin/token: each fetch invalidates the previous token, so several n8n processes (queue-mode workers) or other tools using the same account knock each other out. Testing this credential fetches a new token too.',
				},
			],
			default: 'stable',
			description:
				'How the access token is obtained. Keep Stable unless a gateway only allows /cgi-bin/token: classic tokens invalidate each other across n8n processes.',
		},
		{
			displayName: 'Callback Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Only for the trigger: the Token of the server settings, on the platform under 设置与开发 → 基本配置 → 服务器配置 (Settings and Development → Basic Configuration → Server Configuration)',
		},
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password -- the key decrypts every message of the account: a secret
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
}
