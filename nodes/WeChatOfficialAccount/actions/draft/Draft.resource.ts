import type { INodeProperties } from 'n8n-workflow';

import * as count from './count.operation';
import * as create from './create.operation';
import * as deleteDraft from './delete.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as update from './update.operation';

export { count, create, deleteDraft as delete, get, getMany, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['draft'] } },
		options: [
			{
				name: 'Count',
				value: 'count',
				description: 'Count the drafts in the account',
				action: 'Count drafts',
			},
			{
				name: 'Create',
				value: 'create',
				description:
					'Create a draft of one or more articles (title, HTML content, cover). Returns its media_id, used by Publish → Submit.',
				action: 'Create a draft',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a draft by its media_id. Cannot be undone.',
				action: 'Delete a draft',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get the articles of a draft by its media_id',
				action: 'Get a draft',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List the drafts in the account, newest first',
				action: 'Get many drafts',
			},
			{
				name: 'Update',
				value: 'update',
				description: 'Change fields of one article of a draft; the other fields stay as they are',
				action: 'Update a draft',
			},
		],
		default: 'create',
	},
	...create.description,
	...get.description,
	...update.description,
	...deleteDraft.description,
	...getMany.description,
	...count.description,
];
