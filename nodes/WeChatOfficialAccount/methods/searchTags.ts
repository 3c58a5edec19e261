import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { weChatRead } from '../transport';

interface TagEntry {
	id?: number | string;
	name?: string;
	count?: number;
}

/**
 * The account's follower tags for the `tagId` resource locator (`tags/get`, one answer with every
 * tag), each with its follower count: the audience of a send to that tag.
 */
export async function searchTags(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const answer = await weChatRead.call(this, 'GET', '/cgi-bin/tags/get');
	const tags = ((answer.tags as IDataObject[] | undefined) ?? []) as TagEntry[];
	const needle = filter?.trim().toLowerCase() ?? '';
	const results = tags
		.filter((tag) => tag.id !== undefined && (!needle || String(tag.name ?? '').toLowerCase().includes(needle)))
		.map((tag) => ({
			name: `${tag.name ?? `Tag ${String(tag.id)}`} · ${Number(tag.count ?? 0)} follower${Number(tag.count) === 1 ? '' : 's'}`,
			value: String(tag.id),
		}));
	return { results };
}
