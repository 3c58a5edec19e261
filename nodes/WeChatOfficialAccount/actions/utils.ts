import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { weChatRead } from '../transport';

/** WeChat's batchget endpoints return at most 20 entries per call. */
export const PAGE_SIZE = 20;

/** The draft's media_id from the `mediaId` resource locator, or from a plain string value. */
export function getMediaId(this: IExecuteFunctions, itemIndex: number): string {
	const parameter = this.getNodeParameter('mediaId', itemIndex, '', { extractValue: true }) as
		| string
		| { value?: unknown };
	const value = typeof parameter === 'object' && parameter !== null ? parameter.value : parameter;
	const mediaId = typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
	if (mediaId === '') {
		throw new NodeOperationError(this.getNode(), 'No draft given', {
			description: 'Pick a draft from the list or enter its media_id (returned by Draft → Create)',
			itemIndex,
		});
	}
	return mediaId;
}

/** A required string parameter, trimmed, with an error that says where to find it. */
export function getRequiredString(
	this: IExecuteFunctions,
	name: string,
	itemIndex: number,
	hint: string,
): string {
	const value = String(this.getNodeParameter(name, itemIndex, '')).trim();
	if (value === '') {
		throw new NodeOperationError(this.getNode(), `The parameter "${name}" is empty`, {
			description: hint,
			itemIndex,
		});
	}
	return value;
}

const COMMENT_FLAGS = ['need_open_comment', 'only_fans_can_comment'];

/**
 * One article as WeChat's draft endpoints take it: comment switches as 0/1. Empty optional text
 * is left out unless `keepEmpty` (an update that clears a field), so that WeChat applies its own
 * defaults, such as the summary taken from the content.
 */
export function toWeChatArticle(fields: IDataObject, keepEmpty = false): IDataObject {
	const article: IDataObject = {};
	for (const [name, value] of Object.entries(fields)) {
		if (COMMENT_FLAGS.includes(name) && typeof value === 'boolean') {
			article[name] = value ? 1 : 0;
		} else if (keepEmpty || (value !== '' && value !== undefined && value !== null)) {
			article[name] = value;
		}
	}
	return article;
}

/**
 * Reads a batchget list (`draft/batchget` or `freepublish/batchget`) page by page: everything
 * with `returnAll`, else up to `limit` entries.
 */
export async function getManyPaged(
	this: IExecuteFunctions,
	endpoint: '/cgi-bin/draft/batchget' | '/cgi-bin/freepublish/batchget',
	itemIndex: number,
): Promise<IDataObject[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? Infinity : (this.getNodeParameter('limit', itemIndex, 50) as number);
	const noContent = this.getNodeParameter('options.noContent', itemIndex, false) as boolean;
	const entries: IDataObject[] = [];
	while (entries.length < limit) {
		const count = Math.min(PAGE_SIZE, limit - entries.length);
		const page = await weChatRead.call(this, 'POST', endpoint, {
			offset: entries.length,
			count,
			no_content: noContent ? 1 : 0,
		});
		const pageItems = (page.item as IDataObject[] | undefined) ?? [];
		entries.push(...pageItems);
		const total = Number(page.total_count ?? 0);
		if (pageItems.length === 0 || entries.length >= total) break;
	}
	return entries;
}
