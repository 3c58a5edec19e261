import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { CallKind } from '../../../wechat/api';
import { weChatRead, weChatWrite } from '../../transport';
import { articleFields, draftLocator } from '../common.descriptions';
import { getMediaId, toWeChatArticle } from '../utils';
import { composeArticles, keepUploads, reportUploads } from './compose';
import { composeOptionsParameter, contentFormatParameter, readComposeOptions } from './composeOptions';
import { explainLengthRefusal } from './lengthRefusal';
import { verifyDraft } from './verify';

const properties: INodeProperties[] = [
	draftLocator,
	contentFormatParameter,
	{
		displayName: 'Article Index',
		name: 'index',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'Which article of the draft to update, counting from 0 (0 is the first article)',
	},
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'The fields to change; the other fields of the article keep their current values',
		options: articleFields(false),
	},
	composeOptionsParameter,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['draft'], operation: ['update'] } },
	properties,
);

/** The fields of a `draft/get` article that `draft/update` accepts back. */
const WRITABLE_FIELDS = [
	'title',
	'author',
	'digest',
	'content',
	'content_source_url',
	'thumb_media_id',
	'need_open_comment',
	'only_fans_can_comment',
	'pic_crop_235_1',
	'pic_crop_1_1',
	'article_type',
	'image_info',
	'cover_info',
	'product_info',
];

/** Sends a write to WeChat: refused under Retry On Fail (router). */
export const kind: CallKind = 'write';

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const mediaId = getMediaId.call(this, itemIndex);
	const index = this.getNodeParameter('index', itemIndex, 0) as number;
	const changes = toWeChatArticle(
		this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject,
		true,
	);
	if (Object.keys(changes).length === 0) {
		throw new NodeOperationError(this.getNode(), 'No field to update', {
			description: 'Add at least one field under Update Fields',
			itemIndex,
		});
	}
	// draft/update replaces the whole article, so the fields not changed are read back first.
	const draft = await weChatRead.call(this, 'POST', '/cgi-bin/draft/get', {
		media_id: mediaId,
	});
	const current = ((draft.news_item as IDataObject[] | undefined) ?? [])[index];
	if (current === undefined) {
		throw new NodeOperationError(this.getNode(), `The draft has no article at index ${index}`, {
			description: `It has ${((draft.news_item as IDataObject[] | undefined) ?? []).length} article(s); the first is at index 0`,
			itemIndex,
		});
	}
	const article: IDataObject = {};
	for (const field of WRITABLE_FIELDS) {
		if (current[field] !== undefined) article[field] = current[field];
	}
	const options = readComposeOptions.call(this, itemIndex);
	// Rendered, re-hosted and checked like a new article; the current cover stays unless replaced.
	const merged: IDataObject = { ...article, ...changes };
	if (changes.content === undefined) delete merged.content;
	if (changes.coverImage !== undefined && changes.thumb_media_id === undefined) delete merged.thumb_media_id;
	const composed = await composeArticles.call(this, itemIndex, [merged], options, false);
	const sent: IDataObject = { ...composed.articles[0], ...(changes.content === undefined ? { content: article.content } : {}) };
	await weChatWrite.call(this, '/cgi-bin/draft/update', { media_id: mediaId, index, articles: sent }).catch(async (error: unknown) => {
		throw await reportUploads.call(this, itemIndex, explainLengthRefusal(error, [sent], index + 1) as Error, true);
	});
	keepUploads.call(this, itemIndex);
	const warnings = [...composed.warnings];
	if (options.verifyDraft && changes.content !== undefined) {
		warnings.push(...(await verifyDraft.call(this, mediaId, composed.sentImages, index)));
	}
	return {
		success: true,
		media_id: mediaId,
		index,
		images: composed.images,
		thumb_media_id: String(sent.thumb_media_id ?? ''),
		filledFrom: composed.filledFrom,
		warnings,
	};
}
