import type { INodeProperties } from 'n8n-workflow';

import * as deleteArticle from './delete.operation';
import * as get from './get.operation';
import * as getArticle from './getArticle.operation';
import * as getMany from './getMany.operation';
import * as submit from './submit.operation';

export { deleteArticle as delete, get, getArticle, getMany, submit };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['publish'] } },
		options: [
			{
				name: 'Delete',
				value: 'delete',
				description:
					'Delete a published article (or one article of it) from the account. Cannot be undone.',
				action: 'Delete a published article',
			},
			{
				name: 'Get Article',
				value: 'getArticle',
				description: 'Get the title, content and URL of a published article by its article_id',
				action: 'Get a published article',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List the articles this account has published through the API',
				action: 'Get many published articles',
			},
			{
				name: 'Get Status',
				value: 'get',
				description:
					'Check how a publish job went by its publish_id: published (with article URLs), still publishing, or failed and why',
				action: 'Get the status of a publish job',
			},
			{
				name: 'Submit',
				value: 'submit',
				description:
					'Publish a draft to the account. Returns a publish_id at once; optionally waits for the final result.',
				action: 'Publish a draft',
			},
		],
		default: 'submit',
	},
	...submit.description,
	...get.description,
	...getMany.description,
	...getArticle.description,
	...deleteArticle.description,
];
