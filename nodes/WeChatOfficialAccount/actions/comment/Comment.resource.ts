import type { INodeProperties } from 'n8n-workflow';

import * as close from './close.operation';
import * as deleteComment from './delete.operation';
import * as deleteReply from './deleteReply.operation';
import * as feature from './feature.operation';
import * as getMany from './getMany.operation';
import * as open from './open.operation';
import * as reply from './reply.operation';
import * as unfeature from './unfeature.operation';

export { close, deleteComment as delete, deleteReply, feature, getMany, open, reply, unfeature };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['comment'] } },
		options: [
			{
				name: 'Close Comments',
				value: 'close',
				description: 'Stop readers from commenting on an article',
				action: 'Close comments on an article',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a reader comment. Cannot be undone.',
				action: 'Delete a comment',
			},
			{
				name: 'Delete Reply',
				value: 'deleteReply',
				description: "Delete the author's reply to a comment",
				action: 'Delete a reply',
			},
			{
				name: 'Feature',
				value: 'feature',
				description: 'Feature a comment (精选): every reader sees it',
				action: 'Feature a comment',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List the comments on an article, one item per comment',
				action: 'Get many comments',
			},
			{
				name: 'Open Comments',
				value: 'open',
				description: 'Let readers comment on an article',
				action: 'Open comments on an article',
			},
			{
				name: 'Reply',
				value: 'reply',
				description: 'Reply to a comment as the author',
				action: 'Reply to a comment',
			},
			{
				name: 'Unfeature',
				value: 'unfeature',
				description: 'Take a comment out of the featured ones',
				action: 'Unfeature a comment',
			},
		],
		default: 'getMany',
	},
	...getMany.description,
	...reply.description,
	...deleteReply.description,
	...feature.description,
	...unfeature.description,
	...deleteComment.description,
	...open.description,
	...close.description,
];
