import { randomBytes } from 'node:crypto';

import type { SandboxConfig } from './config';
import { fail } from './errors';
import type { StoredImage } from './media';
import { beijingDate, type Publication } from './publications';
import { keptSvgs } from './svg';

export type NewsItem = Record<string, unknown>;

interface Draft {
	mediaId: string;
	articles: NewsItem[];
	createTime: number;
	updateTime: number;
	/** Orders drafts changed within the same second: batchget lists the latest change first. */
	revision: number;
}

export interface PublishJob {
	publishId: string;
	msgDataId: string;
	mediaId: string;
	/** The outcome chosen at submit time from `config.publish`. */
	outcome: { status: number; failIdx: number[] };
	delayMs: number;
	status: number;
	failIdx: number[];
	articleId?: string;
	submittedAt: number;
	finishedAt?: number;
}

interface PublishedArticle {
	articleId: string;
	publishId: string;
	articles: NewsItem[];
	deleted: boolean[];
	createTime: number;
	updateTime: number;
	/** A mass send's articles: served at their URLs, not listed by freepublish/batchget. */
	massSent?: boolean;
}

const MAX_ARTICLES = 8;
const MAX_PAGE = 20;
/** Marks a draft that fails the pre-publish check (53503) by its first title alone. */
export const FAIL_CHECK_MARK = '[fail-check]';

/** WeChat's media_id and article_id values: 43 characters of base64url. */
function opaqueId(): string {
	return randomBytes(32).toString('base64url');
}

function unixSeconds(): number {
	return Math.floor(Date.now() / 1000);
}

function readPage(body: Record<string, unknown>): { offset: number; count: number; noContent: boolean } {
	const offset = body.offset ?? 0;
	const count = body.count;
	if (!Number.isInteger(offset) || (offset as number) < 0) fail(40097, 'invalid args');
	if (!Number.isInteger(count) || (count as number) < 1 || (count as number) > MAX_PAGE) {
		fail(40097, 'invalid args');
	}
	return { offset: offset as number, count: count as number, noContent: Number(body.no_content) === 1 };
}

function withoutContent(items: NewsItem[], noContent: boolean): NewsItem[] {
	return noContent ? items.map(({ content: _content, ...rest }) => rest) : items;
}

const ENTITIES: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The text a reader sees: tags left out, entities decoded, each run of white space one space. */
function visibleText(html: string): string {
	return html
		.replace(/<[^>]*>/g, '')
		.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (entity, name: string) => {
			if (name[0] !== '#') return ENTITIES[name.toLowerCase()] ?? entity;
			const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
			return code <= 0x10ffff ? String.fromCodePoint(code) : entity;
		})
		.replace(/\s+/g, ' ')
		.trim();
}

/** The drafts, images, publish jobs and published articles of one emulated account. */
export class SandboxState {
	readonly images = new Map<string, StoredImage>();
	private readonly permanentImages = new Map<string, StoredImage>();
	private readonly drafts = new Map<string, Draft>();
	private readonly failingDrafts = new Set<string>();
	readonly jobs = new Map<string, PublishJob>();
	private readonly published = new Map<string, PublishedArticle>();
	private nextPublishId: bigint;
	private nextMsgDataId = 2247483700n;
	private revision = 0;

	constructor(
		private readonly config: SandboxConfig,
		private readonly baseUrl: () => string,
	) {
		this.nextPublishId = BigInt(config.publishIdStart);
	}

	restartPublishIds(start: string): void {
		this.nextPublishId = BigInt(start);
	}

	// Images

	storeImage(image: Omit<StoredImage, 'path'>, permanent: boolean): { media_id?: string; url: string } {
		const id = opaqueId();
		const path = `/mmbiz/${id}.${image.extension}`;
		const stored = { ...image, path };
		this.images.set(path, stored);
		const url = this.baseUrl() + path;
		if (!permanent) return { url };
		this.permanentImages.set(id, stored);
		return { media_id: id, url };
	}

	/** material/del_material: a permanent image goes, and its URL stops answering. */
	deleteImage(body: Record<string, unknown>): void {
		const mediaId = typeof body.media_id === 'string' ? body.media_id : '';
		const stored = this.permanentImages.get(mediaId);
		if (!stored) fail(40007, 'invalid media_id');
		this.permanentImages.delete(mediaId);
		this.images.delete(stored.path);
	}

	/** The media_ids of the permanent images in the media library (素材库). */
	permanentImageIds(): string[] {
		return [...this.permanentImages.keys()];
	}

	// Drafts

	addDraft(body: Record<string, unknown>): { media_id: string } {
		const articles = body.articles;
		if (!Array.isArray(articles) || articles.length === 0) fail(44003, 'empty news data');
		if (articles.length > MAX_ARTICLES) fail(45008, 'article size out of limit');
		const mediaId = opaqueId();
		const now = unixSeconds();
		this.drafts.set(mediaId, {
			mediaId,
			articles: articles.map((article, index) => this.normaliseArticle(article, index)),
			createTime: now,
			updateTime: now,
			revision: ++this.revision,
		});
		return { media_id: mediaId };
	}

	getDraft(body: Record<string, unknown>): { news_item: NewsItem[] } {
		return { news_item: this.draft(body.media_id).articles };
	}

	updateDraft(body: Record<string, unknown>): void {
		const draft = this.draft(body.media_id);
		const index = Number(body.index ?? 0);
		if (!Number.isInteger(index) || index < 0 || index >= draft.articles.length) {
			fail(47003, 'argument invalid! index');
		}
		if (typeof body.articles !== 'object' || body.articles === null || Array.isArray(body.articles)) {
			fail(44003, 'empty news data');
		}
		draft.articles[index] = this.normaliseArticle(body.articles, index);
		draft.updateTime = unixSeconds();
		draft.revision = ++this.revision;
	}

	deleteDraft(body: Record<string, unknown>): void {
		this.drafts.delete(this.draft(body.media_id).mediaId);
	}

	countDrafts(): { total_count: number } {
		return { total_count: this.drafts.size };
	}

	listDrafts(body: Record<string, unknown>): Record<string, unknown> {
		const { offset, count, noContent } = readPage(body);
		const newestFirst = [...this.drafts.values()].sort((a, b) => b.revision - a.revision);
		const page = newestFirst.slice(offset, offset + count).map((draft) => ({
			media_id: draft.mediaId,
			content: {
				news_item: withoutContent(draft.articles, noContent),
				create_time: draft.createTime,
				update_time: draft.updateTime,
			},
			update_time: draft.updateTime,
		}));
		return { total_count: this.drafts.size, item_count: page.length, item: page };
	}

	/** A draft's articles (40007 when there is none: never created, deleted, or sent and gone). */
	draftArticles(mediaId: unknown): NewsItem[] {
		return this.draft(mediaId).articles;
	}

	/** A mass-sent draft leaves the draft box; its articles get pages. Returns their article_id. */
	massSendDraft(mediaId: string): string {
		const articles = this.drafts.get(mediaId)?.articles ?? [];
		this.drafts.delete(mediaId);
		const articleId = opaqueId();
		const now = unixSeconds();
		const copies = articles.map((article) => ({ ...article }));
		const deleted = articles.map(() => false);
		this.published.set(articleId, { articleId, publishId: '', articles: copies, deleted, createTime: now, updateTime: now, massSent: true });
		return articleId;
	}

	/** Takes a mass send's article (1-based) or, with 0, all of them offline; true when none is left. */
	hideMassArticles(articleId: string, idx: number): boolean {
		const article = this.published.get(articleId);
		if (!article) return true;
		if (idx === 0) article.deleted.fill(true);
		else article.deleted[idx - 1] = true;
		return article.deleted.every(Boolean);
	}

	markDraftFailsCheck(mediaId: string): void {
		this.failingDrafts.add(mediaId);
	}

	// Publishing

	submit(body: Record<string, unknown>): PublishJob {
		if (!this.config.canPublish) fail(48001, 'api unauthorized');
		const draft = this.draft(body.media_id);
		const title = String(draft.articles[0]?.title ?? '');
		if (this.failingDrafts.has(draft.mediaId) || title.includes(FAIL_CHECK_MARK)) {
			fail(53503, 'the draft did not pass the publication check');
		}
		const { status, failIdx, delayMs } = this.config.publish;
		const job: PublishJob = {
			publishId: String(this.nextPublishId++),
			msgDataId: String(this.nextMsgDataId++),
			mediaId: draft.mediaId,
			outcome: { status, failIdx: failIdx ?? draft.articles.map((_article, index) => index + 1) },
			delayMs,
			status: 1,
			failIdx: [],
			submittedAt: Date.now(),
		};
		this.jobs.set(job.publishId, job);
		return job;
	}

	/**
	 * Ends a job with its outcome; false when it had ended already or never ends (outcome 1).
	 * A success (and 5 or 6, which follow one) turns the draft into a published article.
	 */
	finish(job: PublishJob): boolean {
		if (job.finishedAt !== undefined || job.outcome.status === 1) return false;
		job.finishedAt = Date.now();
		job.status = job.outcome.status;
		if (job.status === 2 || job.status === 4) job.failIdx = job.outcome.failIdx;
		if (job.status === 0 || job.status === 5 || job.status === 6) {
			const draft = this.drafts.get(job.mediaId);
			const articleId = opaqueId();
			const now = unixSeconds();
			this.published.set(articleId, {
				articleId,
				publishId: job.publishId,
				articles: (draft?.articles ?? []).map((article) => ({ ...article })),
				deleted: (draft?.articles ?? []).map(() => job.status === 5),
				createTime: now,
				updateTime: now,
			});
			this.drafts.delete(job.mediaId);
			job.articleId = articleId;
		}
		return true;
	}

	/** The job as `freepublish/get` and the PUBLISHJOBFINISH push describe it. */
	jobResult(job: PublishJob): {
		publish_id: string;
		publish_status: number;
		article_id?: string;
		article_detail?: { count: number; item: Array<{ idx: number; article_url: string }> };
		fail_idx: number[];
	} {
		const result = { publish_id: job.publishId, publish_status: job.status, fail_idx: job.failIdx };
		const article = job.articleId ? this.published.get(job.articleId) : undefined;
		if (!article) return result;
		const item = article.articles.map((_article, index) => ({
			idx: index + 1,
			article_url: this.articleUrl(article.articleId, index + 1),
		}));
		return { ...result, article_id: article.articleId, article_detail: { count: item.length, item } };
	}

	job(publishId: unknown): PublishJob {
		const job = publishId === undefined ? undefined : this.jobs.get(String(publishId));
		if (!job) fail(53502, 'invalid publish_id');
		return job;
	}

	deleteArticle(body: Record<string, unknown>): void {
		const article = this.article(body.article_id);
		const index = Number(body.index ?? 0);
		if (!Number.isInteger(index) || index < 0 || index > article.articles.length) {
			fail(47003, 'argument invalid! index');
		}
		if (index === 0) article.deleted.fill(true);
		else article.deleted[index - 1] = true;
		article.updateTime = unixSeconds();
		if (article.deleted.every(Boolean)) this.jobs.get(article.publishId)!.status = 5;
	}

	getArticle(body: Record<string, unknown>): { news_item: NewsItem[] } {
		return { news_item: this.publishedItems(this.article(body.article_id)) };
	}

	listArticles(body: Record<string, unknown>): Record<string, unknown> {
		const { offset, count, noContent } = readPage(body);
		const live = [...this.published.values()]
			.filter((article) => !article.massSent && !article.deleted.every(Boolean))
			.reverse();
		const page = live.slice(offset, offset + count).map((article) => ({
			article_id: article.articleId,
			content: {
				news_item: withoutContent(this.publishedItems(article), noContent),
				create_time: article.createTime,
				update_time: article.updateTime,
			},
			update_time: article.updateTime,
		}));
		return { total_count: live.length, item_count: page.length, item: page };
	}

	/** Every publication (publish_type 1) as the statistics and comment endpoints see it. */
	publications(): Publication[] {
		return [...this.published.values()].map((article) => ({
			msgDataId: this.jobs.get(article.publishId)?.msgDataId ?? '',
			publishType: 1,
			publishedOn: beijingDate(article.createTime * 1000),
			articles: article.articles.map((item) => ({ title: String(item.title), commentsOpen: item.need_open_comment === 1 })),
		}));
	}

	/** The article behind a `/s/<article_id>?idx=N` link, unless deleted. */
	articlePage(articleId: string, idx: number): NewsItem | undefined {
		const article = this.published.get(articleId);
		if (!article || article.deleted[idx - 1] !== false) return undefined;
		return article.articles[idx - 1];
	}

	private publishedItems(article: PublishedArticle): NewsItem[] {
		return article.articles.map((item, index) => ({
			...item,
			url: this.articleUrl(article.articleId, index + 1),
			is_deleted: article.deleted[index],
		}));
	}

	articleUrl(articleId: string, idx: number): string {
		return `${this.baseUrl()}/s/${articleId}?idx=${idx}`;
	}

	private article(articleId: unknown): PublishedArticle {
		const article = typeof articleId === 'string' ? this.published.get(articleId) : undefined;
		if (!article) fail(53600, 'invalid article_id');
		return article;
	}

	private draft(mediaId: unknown): Draft {
		const draft = typeof mediaId === 'string' ? this.drafts.get(mediaId) : undefined;
		if (!draft) fail(40007, 'invalid media_id');
		return draft;
	}

	/** Checks one article as `draft/add` does, keeps what WeChat keeps and fills the fields WeChat fills. */
	private normaliseArticle(raw: unknown, index: number): NewsItem {
		if (typeof raw !== 'object' || raw === null) fail(44003, 'empty news data');
		const article = raw as NewsItem;
		const text = (field: string) => (typeof article[field] === 'string' ? (article[field] as string) : '');
		const chars = (field: string) => [...text(field)].length;
		const title = text('title');
		const type = text('article_type') || 'news';
		if (type !== 'news' && type !== 'newspic') fail(47003, `argument invalid! data.articles[${index}].article_type`);
		if (!title) fail(47003, `argument invalid! data.articles[${index}].title is required`);
		if (chars('title') > ARTICLE_TEXT_LIMITS.title) fail(45003, 'title size out of limit');
		if (!text('content')) fail(44004, 'empty content');
		const content = keptContent(text('content'), this.baseUrl());
		const contentText = visibleText(content);
		// White space left out: at or under the node's own count, so layout alone never makes the two disagree.
		if ([...contentText.replace(/\s/g, '')].length > ARTICLE_TEXT_LIMITS.contentTextChars || Buffer.byteLength(text('content')) >= ARTICLE_TEXT_LIMITS.contentBytes) {
			fail(45002, 'content size out of limit');
		}
		if (chars('author') > ARTICLE_TEXT_LIMITS.author) fail(45110, 'author size out of limit');
		if (chars('digest') > ARTICLE_TEXT_LIMITS.digest) fail(45004, 'description size out of limit');
		if (chars('content_source_url') > ARTICLE_TEXT_LIMITS.sourceUrl) fail(45005, 'url size out of limit');
		const imageList = type === 'newspic' ? this.imageList(article.image_info) : undefined;
		const thumb = this.permanentImages.get(text('thumb_media_id'));
		if (!thumb && type === 'news') fail(40007, 'invalid media_id');
		const item: NewsItem = {
			article_type: type,
			title,
			author: text('author'),
			digest: text('digest') || [...contentText].slice(0, 54).join(''),
			content,
			content_source_url: text('content_source_url'),
			thumb_media_id: thumb ? text('thumb_media_id') : '',
			show_cover_pic: Number(article.show_cover_pic ?? 0),
			need_open_comment: Number(article.need_open_comment ?? 0),
			only_fans_can_comment: Number(article.only_fans_can_comment ?? 0),
			thumb_url: thumb ? this.baseUrl() + thumb.path : '',
		};
		if (imageList) item.image_info = { image_list: imageList };
		return item;
	}

	/** An image post's pictures: 1 to 20 permanent images uploaded here. */
	private imageList(info: unknown): Array<{ image_media_id: string }> {
		const list = (info as { image_list?: unknown } | undefined)?.image_list;
		if (!Array.isArray(list) || list.length === 0) fail(44003, 'empty news data');
		if (list.length > 20) fail(45008, 'article size out of limit');
		return list.map((entry) => {
			const id = String((entry as { image_media_id?: unknown }).image_media_id ?? '');
			if (!this.permanentImages.has(id)) fail(40007, 'invalid media_id');
			return { image_media_id: id };
		});
	}
}

/**
 * The text limits draft/add enforces, characters as code points. Title 64 and digest 120: the
 * 公众号后台's limits, which WeChat staff say the API follows (https://developers.weixin.qq.com/community/develop/doc/000a6406c10910304f000c32561c00),
 * not the 32 of the draft/add page. Author 16. Content: its visible text at most
 * 20,000 characters (markup does not count: WeChat takes styled HTML far longer than that) and
 * its HTML under 1 MB. Kept apart from the node's own table on purpose: the emulator checks the
 * node, not itself.
 */
export const ARTICLE_TEXT_LIMITS = {
	title: 64,
	author: 16,
	digest: 120,
	contentTextChars: 20_000,
	contentBytes: 1024 * 1024,
	sourceUrl: 1024,
};

/**
 * The content as WeChat keeps it: no <script> or <style>, inline SVG as its editor keeps it, and
 * the src of every image not on the sandbox's own image host blanked (WeChat filters out image URLs
 * it did not hand out).
 */
export function keptContent(html: string, imageHostUrl: string): string {
	const host = new URL(imageHostUrl).host;
	const onHost = (src: string) => {
		try {
			return new URL(src).host === host;
		} catch {
			return false;
		}
	};
	return keptSvgs(html)
		.replace(/<script\b[^>]*>[\s\S]*?<\/script\s*>/gi, '')
		.replace(/<style\b[^>]*>[\s\S]*?<\/style\s*>/gi, '')
		.replace(/<(script|style)\b[^>]*\/?>/gi, '')
		.replace(/<img\b[^>]*>/gi, (tag) =>
			tag.replace(/(\ssrc\s*=\s*)("[^"]*"|'[^']*'|[^\s>]+)/i, (attribute, prefix: string, quoted: string) => {
				const src = quoted.replace(/^["']|["']$/g, '').replace(/&amp;/g, '&');
				return onHost(src) ? attribute : `${prefix}""`;
			}),
		);
}
