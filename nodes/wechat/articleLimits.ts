/**
 * WeChat's limits on a draft, the one table the node checks before any call (and the sandbox
 * enforces). From the draft/add page of WeChat's documentation:
 * https://developers.weixin.qq.com/doc/offiaccount/Draft_Box/Add_draft.html
 * Characters are counted as WeChat counts them: one per Unicode code point, so a CJK character is one.
 */

export interface TextLimit {
	/** The article field, as WeChat names it. */
	field: 'title' | 'author' | 'digest' | 'content' | 'content_source_url';
	label: string;
	maxChars: number;
	/** For content: the UTF-8 size must stay under this many bytes too. */
	maxBytes?: number;
	/** What draft/add answers when the limit is passed. */
	errcode: number;
	fix: string;
}

export const ARTICLE_LIMITS: readonly TextLimit[] = [
	{ field: 'title', label: 'Title', maxChars: 32, errcode: 45003, fix: 'Shorten the title' },
	{ field: 'author', label: 'Author', maxChars: 16, errcode: 45110, fix: 'Shorten the author name' },
	{
		field: 'digest',
		label: 'Summary (digest)',
		maxChars: 128,
		errcode: 45004,
		fix: 'Shorten the summary, or leave it empty and WeChat takes the opening text of a single-article draft',
	},
	{
		field: 'content',
		label: 'Content',
		maxChars: 20_000,
		maxBytes: 1024 * 1024,
		errcode: 45002,
		fix: 'Shorten the article or split it over several articles; inline styles and re-hosted image URLs count too',
	},
	{
		field: 'content_source_url',
		label: 'Original article URL (content_source_url)',
		maxChars: 1024,
		errcode: 45005,
		fix: 'Use a shorter http(s) link',
	},
];

/** Articles in one draft (45008 when passed). */
export const MAX_ARTICLES = { max: 8, errcode: 45008 } as const;

/** Pictures of an image post (newspic): permanent image materials in image_info.image_list. */
export const MAX_NEWSPIC_IMAGES = 20;

/** A limit passed: the message names the limit and WeChat's errcode; `fix` says what to do. */
export interface LimitViolation {
	message: string;
	errcode: number;
	fix: string;
}

export function countChars(text: string): number {
	return Array.from(text).length;
}

/** The first limit the article passes, or undefined; `articleNumber` is 1-based, for the message. */
export function findLimitViolation(article: Record<string, unknown>, articleNumber: number): LimitViolation | undefined {
	for (const limit of ARTICLE_LIMITS) {
		const value = article[limit.field];
		if (typeof value !== 'string' || value === '') continue;
		const chars = countChars(value);
		if (chars > limit.maxChars) {
			return {
				message: `Article ${articleNumber}: ${limit.label} has ${chars.toLocaleString('en-US')} characters; WeChat allows at most ${limit.maxChars.toLocaleString('en-US')} (draft/add would answer errcode ${limit.errcode})`,
				errcode: limit.errcode,
				fix: limit.fix,
			};
		}
		const bytes = Buffer.byteLength(value, 'utf8');
		if (limit.maxBytes !== undefined && bytes >= limit.maxBytes) {
			return {
				message: `Article ${articleNumber}: ${limit.label} is ${bytes.toLocaleString('en-US')} bytes; WeChat takes under ${limit.maxBytes.toLocaleString('en-US')} bytes (1 MB) (draft/add would answer errcode ${limit.errcode})`,
				errcode: limit.errcode,
				fix: limit.fix,
			};
		}
	}
	const source = article.content_source_url;
	if (typeof source === 'string' && source !== '' && !/^https?:\/\/[^\s]+$/i.test(source)) {
		return {
			message: `Article ${articleNumber}: Original article URL (content_source_url) is not an http(s) link`,
			errcode: 45005,
			fix: 'Give a full link starting with https://, or leave the field empty',
		};
	}
	return undefined;
}

export function findCountViolation(count: number): LimitViolation | undefined {
	if (count > MAX_ARTICLES.max) {
		return {
			message: `A draft holds at most ${MAX_ARTICLES.max} articles; ${count} given (draft/add would answer errcode ${MAX_ARTICLES.errcode})`,
			errcode: MAX_ARTICLES.errcode,
			fix: 'Split the articles over several drafts',
		};
	}
	return undefined;
}
