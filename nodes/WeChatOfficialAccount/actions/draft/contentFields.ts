import type { IDataObject } from 'n8n-workflow';

import type { ContentField, FieldSource, RenderedArticle } from '../../../wechat/article';

/** Which empty fields of one article its content filled, and from what. */
export interface FilledFields {
	article: number;
	fields: Partial<Record<ContentField, FieldSource>>;
}

function isEmpty(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/**
 * Fills the empty fields of `fields` with what the rendered content gives (front matter, a leading
 * heading as title). A cover only for an ordinary article without a cover of its own.
 */
export function fillFromContent(fields: IDataObject, rendered: RenderedArticle, takesCover: boolean): FilledFields['fields'] {
	const from: FilledFields['fields'] = {};
	for (const [name, value] of Object.entries(rendered.fields) as Array<[ContentField, string]>) {
		if (!isEmpty(fields[name])) continue;
		if (name === 'coverImage' && (!takesCover || !isEmpty(fields.thumb_media_id))) continue;
		fields[name] = value;
		from[name] = rendered.filledFrom[name];
	}
	return from;
}
