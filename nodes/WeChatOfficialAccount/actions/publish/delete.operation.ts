import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { CallKind } from '../../../wechat/api';
import { weChatWrite } from '../../transport';
import { getRequiredString } from '../utils';
import { ARTICLE_ID_HINT, articleIdParameter } from './getArticle.operation';

/** WeChat's freepublish/delete: index 0 (or none) deletes every article, n the n-th (from 1). */
export const ALL_ARTICLES = 0;

/** Node versions from 2 on choose with Delete and Article Number. */
const FROM_VERSION_2 = { '@version': [{ _cnd: { gte: 2 } }] };

const properties: INodeProperties[] = [
	articleIdParameter,
	{
		// Version 1 (saved before Delete and Article Number existed) keeps its meaning: WeChat's
		// index, 0 (the default, also when the saved workflow omits it) for every article.
		displayName: 'Article Index',
		name: 'index',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description:
			'Which article of the publication to delete, counting from 1. 0 deletes all its articles. Deleted articles cannot be restored.',
		displayOptions: { show: { '@version': [1] } },
	},
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
		displayOptions: { show: FROM_VERSION_2 },
	},
	{
		displayName: 'Article Number',
		name: 'articleNumber',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 1,
		required: true,
		description: 'Which article of the publication to delete, counting from 1 (the first article)',
		displayOptions: { show: { deleteScope: ['one'], ...FROM_VERSION_2 } },
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['publish'], operation: ['delete'] } },
	properties,
);

/** Version 1's saved Article Index, as that version sent it: 0 for every article, n for the n-th. */
function savedArticleIndex(this: IExecuteFunctions, itemIndex: number): number {
	const index = Number(this.getNodeParameter('index', itemIndex, ALL_ARTICLES));
	if (!Number.isInteger(index) || index < 0) {
		throw new NodeOperationError(this.getNode(), `Article Index must be a whole number from 0, not ${String(index)}`, {
			description: 'Articles count from 1; 0 deletes every article of the publication.',
			itemIndex,
		});
	}
	return index;
}

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
	if (this.getNode().typeVersion < 2) {
		// Version 1's output too: downstream nodes of a saved workflow may read `index`.
		const index = savedArticleIndex.call(this, itemIndex);
		await weChatWrite.call(this, '/cgi-bin/freepublish/delete', { article_id: articleId, index });
		return { success: true, article_id: articleId, index };
	}
	const index = articleIndex.call(this, itemIndex);
	await weChatWrite.call(this, '/cgi-bin/freepublish/delete', { article_id: articleId, index });
	return index === ALL_ARTICLES
		? { success: true, article_id: articleId, deleted: 'all' }
		: { success: true, article_id: articleId, deleted: index };
}
