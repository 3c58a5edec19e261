import type { INodeProperties } from 'n8n-workflow';

import * as deleteMessage from './delete.operation';
import * as get from './get.operation';
import * as preview from './preview.operation';
import * as send from './send.operation';

export { deleteMessage as delete, get, preview, send };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['massMessage'] } },
		options: [
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a sent mass message (one article, or all of them) from followers\' chats and the history list. Cannot be undone.',
				action: 'Delete a mass message',
			},
			{
				name: 'Get Status',
				value: 'get',
				description: 'Check how a mass send went by its msg_id: sending, sent, failed or deleted',
				action: 'Get the status of a mass message',
			},
			{
				name: 'Preview',
				value: 'preview',
				description: 'Send a draft to one follower\'s phone (by WeChat ID or OpenID) to review it before the mass send',
				action: 'Preview a draft on a phone',
			},
			{
				name: 'Send',
				value: 'send',
				description:
					'Mass-send (群发) a draft to all followers or one tag: it reaches their chats and the history list. Returns a msg_id at once; never sends twice.',
				action: 'Mass send a draft',
			},
		],
		default: 'send',
	},
	...send.description,
	...preview.description,
	...get.description,
	...deleteMessage.description,
];
