import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';

import { PAGE_SIZE } from '../actions/utils';
import { weChatRead } from '../transport';

interface DraftEntry {
	media_id?: string;
	update_time?: number | string;
	content?: { news_item?: Array<{ title?: string }> };
}

function formatUpdateTime(seconds: number | string | undefined, timeZone: string): string {
	const date = new Date(Number(seconds) * 1000);
	if (Number.isNaN(date.getTime())) return '';
	// 'sv-SE' writes dates as YYYY-MM-DD HH:mm, readable everywhere.
	return new Intl.DateTimeFormat('sv-SE', {
		timeZone,
		dateStyle: 'short',
		timeStyle: 'short',
	}).format(date);
}

function draftName(entry: DraftEntry, timeZone: string): string {
	const articles = entry.content?.news_item ?? [];
	const title = articles[0]?.title?.trim() || '(untitled)';
	const more = articles.length > 1 ? ` (+${articles.length - 1} more)` : '';
	const updated = formatUpdateTime(entry.update_time, timeZone);
	return `${title}${more}${updated ? ` · updated ${updated}` : ''}`;
}

/**
 * The drafts for the `mediaId` resource locator, newest first, a page of 20 at a time: the
 * pagination token is the offset of the next page. A filter keeps drafts whose article titles
 * contain it.
 */
export async function searchDrafts(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const offset = Number(paginationToken ?? 0) || 0;
	const page = await weChatRead.call(this, 'POST', '/cgi-bin/draft/batchget', {
		offset,
		count: PAGE_SIZE,
		no_content: 1,
	});
	const entries = (page.item as IDataObject[] | undefined) ?? [];
	const needle = filter?.trim().toLowerCase() ?? '';
	const timeZone = this.getTimezone();
	const results: INodeListSearchItems[] = [];
	for (const entry of entries as DraftEntry[]) {
		if (!entry.media_id) continue;
		const titles = (entry.content?.news_item ?? []).map((article) => article.title ?? '');
		if (needle && !titles.some((title) => title.toLowerCase().includes(needle))) continue;
		results.push({ name: draftName(entry, timeZone), value: entry.media_id });
	}
	const nextOffset = offset + entries.length;
	const hasMore = entries.length > 0 && nextOffset < Number(page.total_count ?? 0);
	return { results, paginationToken: hasMore ? String(nextOffset) : undefined };
}
