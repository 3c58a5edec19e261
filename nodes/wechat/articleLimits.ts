/**
 * WeChat's limits on a draft, the one table the node checks before any call (and the sandbox
 * enforces). From the draft/add page of WeChat's documentation:
 * https://developers.weixin.qq.com/doc/offiaccount/Draft_Box/Add_draft.html
 * except title and digest (see DRAFT_ADD_PAGE_TITLE_CHARS).
 * Characters are counted as WeChat counts them: one per Unicode code point, so a CJK character is one.
 */
import { parseHtml } from './article/html';
import { plainText } from './article/text';

export interface TextLimit {
	/** The article field, as WeChat names it. */
	field: 'title' | 'author' | 'digest' | 'content_source_url';
	label: string;
	maxChars: number;
	/** What draft/add answers when the limit is passed. */
	errcode: number;
	fix: string;
}

/**
 * Title 64 and digest 120 are the 公众号后台's limits, not the draft/add page's. That page says
 * "标题，总长度不超过32个字"; asked what the API enforces, WeChat staff answer "和公众号后台限制一致"
 * (the same as the 公众号后台: https://developers.weixin.qq.com/community/develop/doc/000a6406c10910304f000c32561c00),
 * where a title takes 64 characters and a digest 120. A false refusal here blocks an ordinary
 * 40-character Chinese title; should WeChat still refuse one, describeLengthRefusal says which.
 */
const DRAFT_ADD_PAGE_TITLE_CHARS = 32;

export const ARTICLE_LIMITS: readonly TextLimit[] = [
	{ field: 'title', label: 'Title', maxChars: 64, errcode: 45003, fix: 'Shorten the title' },
	{ field: 'author', label: 'Author', maxChars: 16, errcode: 45110, fix: 'Shorten the author name' },
	{
		field: 'digest',
		label: 'Summary (digest)',
		maxChars: 120,
		errcode: 45004,
		fix: 'Shorten the summary, or leave it empty and WeChat takes the opening text of a single-article draft',
	},
	{
		field: 'content_source_url',
		label: 'Original article URL (content_source_url)',
		maxChars: 1024,
		errcode: 45005,
		fix: 'Use a shorter http(s) link',
	},
];

/**
 * Content: WeChat's draft/add page
 * (https://developers.weixin.qq.com/doc/offiaccount/Draft_Box/Add_draft.html) says it "must be
 * under 20,000 characters and under 1 MB". The 20,000 is the WeChat editor's limit on the
 * article's text: styled HTML from WeChat's own and third-party editors routinely carries far
 * more than 20,000 characters of markup and is accepted. So the visible text (markup left out,
 * code points) is counted against 20,000 and the HTML as sent (inline styles and WeChat image
 * URLs included) against 1 MB of UTF-8. Both answer 45002.
 */
export const CONTENT_LIMIT = { maxTextChars: 20_000, maxBytes: 1024 * 1024, errcode: 45002 } as const;

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
	}
	if (typeof article.content === 'string' && article.content !== '') {
		const violation = contentViolation(article.content, articleNumber);
		if (violation) return violation;
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

/** The content's text over 20,000 characters, or its HTML at 1 MB or more: which of the two, errcode 45002 and the fix. */
function contentViolation(html: string, articleNumber: number): LimitViolation | undefined {
	const { maxTextChars, maxBytes, errcode } = CONTENT_LIMIT;
	// Line breaks between blocks are layout, not text.
	const chars = countChars(plainText(parseHtml(html).children).replace(/\n/g, ''));
	if (chars > maxTextChars) {
		return {
			message: `Article ${articleNumber}: Content has ${chars.toLocaleString('en-US')} characters of text; WeChat allows at most ${maxTextChars.toLocaleString('en-US')} (draft/add would answer errcode ${errcode})`,
			errcode,
			fix: 'Shorten the text or split it over several articles (markup and inline styles do not count toward the 20,000 characters)',
		};
	}
	const bytes = Buffer.byteLength(html, 'utf8');
	if (bytes >= maxBytes) {
		return {
			message: `Article ${articleNumber}: Content is ${bytes.toLocaleString('en-US')} bytes of HTML; WeChat takes under ${maxBytes.toLocaleString('en-US')} bytes (1 MB) (draft/add would answer errcode ${errcode})`,
			errcode,
			fix: 'Make the HTML smaller: split the article over several articles, or drop inline styles and data you do not need (the HTML counts with its inline styles and the WeChat image URLs)',
		};
	}
	return undefined;
}

/** The text fields WeChat refuses by errcode when too long. */
const LENGTH_ERRCODES: Readonly<Record<number, TextLimit['field']>> = { 45003: 'title', 45004: 'digest', 45110: 'author' };

/**
 * What to add when WeChat answers 45003, 45004 or 45110 for text the node let through: the longest
 * such field of the draft, its length, and for a title how far it is over the draft/add page's 32.
 * `articles` are the articles as sent; `firstNumber` the 1-based number of the first.
 */
export function describeLengthRefusal(
	errcode: number | undefined,
	articles: ReadonlyArray<Record<string, unknown>>,
	firstNumber = 1,
): string | undefined {
	const field = errcode === undefined ? undefined : LENGTH_ERRCODES[errcode];
	const limit = ARTICLE_LIMITS.find((candidate) => candidate.field === field);
	if (!limit) return undefined;
	let longest: { number: number; chars: number } | undefined;
	articles.forEach((article, index) => {
		const value = article[limit.field];
		const chars = typeof value === 'string' ? countChars(value) : 0;
		if (chars > 0 && (!longest || chars > longest.chars)) longest = { number: firstNumber + index, chars };
	});
	if (!longest) return undefined;
	const over = limit.field === 'title' ? longest.chars - DRAFT_ADD_PAGE_TITLE_CHARS : 0;
	const lengthNote =
		over > 0
			? `, ${over} over the ${DRAFT_ADD_PAGE_TITLE_CHARS} of WeChat's draft/add page (the node lets up to ${limit.maxChars} through, the 公众号后台's limit)`
			: ` (the node lets up to ${limit.maxChars} through)`;
	return `WeChat refused the ${limit.label.toLowerCase()} as too long: article ${longest.number} has the longest, ${longest.chars} characters${lengthNote}. ${limit.fix}${over > 0 ? ` to ${DRAFT_ADD_PAGE_TITLE_CHARS} characters or fewer` : ''}, then run the item again.`;
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
