import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { router } from './actions/router';
import { versionProperties } from './actions/versionDescription';
import { searchDrafts } from './methods/listSearch';
import { searchTags } from './methods/searchTags';

export class WeChatOfficialAccount implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WeChat Official Account',
		name: 'weChatOfficialAccount',
		icon: { light: 'file:wechat.svg', dark: 'file:wechat.dark.svg' },
		group: ['output'],
		// Version 2: Publish → Delete chooses with Delete and Article Number; version 1 keeps the
		// saved Article Index (0 deleted every article). Everything else is the same.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Publish articles to a WeChat Official Account (微信公众号): upload images, create drafts, publish or mass-send (群发) them and check the result',
		defaults: { name: 'WeChat Official Account' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'weChatOfficialAccountApi',
				required: true,
				// Article → Render calls no WeChat API: the node runs there without a credential.
				displayOptions: { hide: { resource: ['article'] } },
			},
		],
		properties: versionProperties,
	};

	methods = {
		listSearch: { searchDrafts, searchTags },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
