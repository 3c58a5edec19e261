import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { weChatApiRequest } from '../../transport';
import { getRequiredString } from '../utils';
import { ARTICLE_ID_HINT, articleIdParameter } from './getArticle.operation';

const properties: INodeProperties[] = [
	articleIdParameter,
	{
		displayName: 'Article Index',
		name: 'index',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description:
			'Which article of the publication to delete, counting from 1. 0 deletes all its articles. Deleted articles cannot be restored.',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['publish'], operation: ['delete'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const articleId = getRequiredString.call(this, 'articleId', itemIndex, ARTICLE_ID_HINT);
	const index = this.getNodeParameter('index', itemIndex, 0) as number;
	await weChatApiRequest.call(
		this,
		'POST',
		'/cgi-bin/freepublish/delete',
		{ article_id: articleId, index },
		{ write: true },
	);
	return { success: true, article_id: articleId, index };
}
