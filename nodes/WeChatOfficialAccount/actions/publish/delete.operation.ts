import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { CallKind } from '../../../wechat/api';
import { weChatWrite } from '../../transport';
import { getRequiredString } from '../utils';
import { ARTICLE_ID_HINT, articleIdParameter } from './getArticle.operation';

/** WeChat's freepublish/delete: index 0 (or none) deletes every article, n the n-th (from 1). */
export const ALL_ARTICLES = 0;

const properties: INodeProperties[] = [
	articleIdParameter,
	{
		displayName: 'Delete',
		name: 'deleteScope',
		type: 'options',
		options: [
			{
				name: 'One Article',
				value: 'one',
				description: 'Delete the article at Article Number; the others stay published',
			},
			{
				name: 'All Articles',
				value: 'all',
				description: 'Delete every article of the publication',
			},
		],
		default: 'one',
		required: true,
		description: 'Which articles of the publication to delete. Deleted articles cannot be restored.',
	},
	{
		displayName: 'Article Number',
		name: 'articleNumber',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 1,
		required: true,
		description: 'Which article of the publication to delete, counting from 1 (the first article)',
		displayOptions: { show: { deleteScope: ['one'] } },
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['publish'], operation: ['delete'] } },
	properties,
);

/** WeChat's article number: ALL_ARTICLES (0) only when All Articles is chosen, else a whole number from 1 (also Mass Message → Delete's article_idx). */
export function articleIndex(this: IExecuteFunctions, itemIndex: number): number {
	const scope = this.getNodeParameter('deleteScope', itemIndex, 'one') as unknown;
	if (scope === 'all') return ALL_ARTICLES;
	if (scope !== 'one') {
		throw new NodeOperationError(this.getNode(), `Delete must be "one" or "all", not "${String(scope)}"`, {
			itemIndex,
		});
	}
	const number = Number(this.getNodeParameter('articleNumber', itemIndex, 1));
	if (!Number.isInteger(number) || number < 1) {
		throw new NodeOperationError(this.getNode(), `Article Number must be a whole number from 1, not ${String(number)}`, {
			description: 'Articles count from 1. To delete every article of the publication, set Delete to All Articles.',
			itemIndex,
		});
	}
	return number;
}

/** Sends a write to WeChat: refused under Retry On Fail (router). */
export const kind: CallKind = 'write';

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const articleId = getRequiredString.call(this, 'articleId', itemIndex, ARTICLE_ID_HINT);
	const index = articleIndex.call(this, itemIndex);
	await weChatWrite.call(this, '/cgi-bin/freepublish/delete', { article_id: articleId, index });
	return index === ALL_ARTICLES
		? { success: true, article_id: articleId, deleted: 'all' }
		: { success: true, article_id: articleId, deleted: index };
}
