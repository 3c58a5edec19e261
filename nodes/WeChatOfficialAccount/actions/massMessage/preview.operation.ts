import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { CallKind } from '../../../wechat/api';
import { weChatWrite } from '../../transport';
import { draftLocator } from '../common.descriptions';
import { getMediaId, getRequiredString } from '../utils';

const properties: INodeProperties[] = [
	{ ...draftLocator, description: 'The draft to preview, as its followers would receive it' },
	{
		displayName: 'Send Preview To',
		name: 'previewTo',
		type: 'options',
		options: [
			{ name: 'WeChat ID', value: 'wechatId', description: 'The reviewer\'s WeChat ID (微信号); at most 100 previews a day this way' },
			{ name: 'OpenID', value: 'openId', description: 'The reviewer\'s OpenID for this account' },
		],
		default: 'wechatId',
		description: 'How the reviewer is named. The reviewer must follow the account.',
	},
	{
		displayName: 'Recipient',
		name: 'recipient',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. reviewer_wxid',
		description: 'The reviewer\'s WeChat ID or OpenID',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['massMessage'], operation: ['preview'] } }, properties);

/** Sends a message to a phone: a write, refused under Retry On Fail (router). */
export const kind: CallKind = 'write';

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const mediaId = getMediaId.call(this, itemIndex);
	const previewTo = this.getNodeParameter('previewTo', itemIndex, 'wechatId') as string;
	const recipient = getRequiredString.call(this, 'recipient', itemIndex, 'Enter the reviewer\'s WeChat ID or OpenID; the reviewer must follow the account');
	const response = await weChatWrite.call(
		this,
		'/cgi-bin/message/mass/preview',
		{ [previewTo === 'openId' ? 'touser' : 'towxname']: recipient, msgtype: 'mpnews', mpnews: { media_id: mediaId } },
		{ expect: ['msg_id'] },
	);
	return { msg_id: String(response.msg_id), media_id: mediaId };
}
