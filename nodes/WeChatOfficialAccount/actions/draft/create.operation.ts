import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { jsonParse, NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { CallKind } from '../../../wechat/api';
import { findCountViolation } from '../../../wechat/articleLimits';
import { weChatWrite } from '../../transport';
import { articleFields } from '../common.descriptions';
import { toWeChatArticle } from '../utils';
import { composeArticles, enforceLimits, keepUploads, reportUploads } from './compose';
import { composeOptionsParameter, contentFormatParameter, readComposeOptions } from './composeOptions';
import { explainLengthRefusal } from './lengthRefusal';
import { verifyDraft } from './verify';

const properties: INodeProperties[] = [
	contentFormatParameter,
	{
		displayName: 'Articles Input',
		name: 'articlesInput',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Define Below',
				value: 'fields',
				description: 'Fill in the fields of each article',
			},
			{
				name: 'JSON',
				value: 'json',
				description: 'Give the articles as a JSON array, for example built by an earlier node',
			},
		],
		default: 'fields',
	},
	{
		displayName: 'Articles',
		name: 'articles',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Article',
		default: {},
		description:
			'The articles of the draft, in order (up to 8). The first is the main article shown with a large cover.',
		displayOptions: { show: { articlesInput: ['fields'] } },
		options: [{ displayName: 'Article', name: 'article', values: articleFields(true) }],
	},
	{
		displayName: 'Articles (JSON)',
		name: 'articlesJson',
		type: 'json',
		default:
			'[\n  {\n    "title": "",\n    "author": "",\n    "digest": "",\n    "content": "<p></p>",\n    "content_source_url": "",\n    "thumb_media_id": "",\n    "need_open_comment": 0,\n    "only_fans_can_comment": 0\n  }\n]',
		description:
			"An array of articles (or one article object) with WeChat's field names: title, author, digest, content (HTML), content_source_url, thumb_media_id, need_open_comment, only_fans_can_comment, any other field WeChat's draft/add accepts, and coverImage, article_type and images as under Define Below",
		displayOptions: { show: { articlesInput: ['json'] } },
	},
	composeOptionsParameter,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['draft'], operation: ['create'] } },
	properties,
);

function isPlainObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readArticlesJson(this: IExecuteFunctions, itemIndex: number): IDataObject[] {
	const raw = this.getNodeParameter('articlesJson', itemIndex, '[]') as unknown;
	const parsed =
		typeof raw === 'string'
			? jsonParse<unknown>(raw, {
					errorMessage: 'Articles (JSON) is not valid JSON',
				})
			: raw;
	const list = Array.isArray(parsed) ? parsed : [parsed];
	if (!list.every(isPlainObject)) {
		throw new NodeOperationError(this.getNode(), 'Articles (JSON) must be an array of objects', {
			description: 'For example [{"title": "Hello", "content": "<p>Hi</p>", "thumb_media_id": "..."}]',
			itemIndex,
		});
	}
	return list;
}

/** Sends a write to WeChat: refused under Retry On Fail (router). */
export const kind: CallKind = 'write';

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const input = this.getNodeParameter('articlesInput', itemIndex, 'fields') as string;
	const given =
		input === 'json'
			? readArticlesJson.call(this, itemIndex)
			: ((this.getNodeParameter('articles', itemIndex, {}) as { article?: IDataObject[] })
					.article ?? []);
	if (given.length === 0) {
		throw new NodeOperationError(this.getNode(), 'No article given', {
			description:
				input === 'json'
					? 'Articles (JSON) must hold at least one article'
					: 'Add an article under Articles, or set Articles Input to JSON',
			itemIndex,
		});
	}
	enforceLimits.call(this, itemIndex, findCountViolation(given.length));
	const options = readComposeOptions.call(this, itemIndex);
	const composed = await composeArticles.call(
		this,
		itemIndex,
		given.map((fields) => toWeChatArticle(fields)),
		options,
		true,
	);
	const response = await weChatWrite
		.call(this, '/cgi-bin/draft/add', { articles: composed.articles }, { expect: ['media_id'] })
		.catch(async (error: unknown) => {
			throw await reportUploads.call(this, itemIndex, explainLengthRefusal(error, composed.articles) as Error, true);
		});
	keepUploads.call(this, itemIndex);
	const mediaId = String(response.media_id);
	const warnings = [...composed.warnings];
	if (options.verifyDraft) warnings.push(...(await verifyDraft.call(this, mediaId, composed.sentImages)));
	return {
		media_id: mediaId,
		images: composed.images,
		thumb_media_id: String(composed.articles[0].thumb_media_id ?? ''),
		filledFrom: composed.filledFrom,
		warnings,
	};
}
