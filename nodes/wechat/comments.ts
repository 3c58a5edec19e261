/**
 * WeChat's comment management (图文消息留言管理,
 * https://developers.weixin.qq.com/doc/offiaccount/Comments_management/Image_Comments_Management_Interface.html): an article is named by `msg_data_id` and an `index` counted from 0,
 * while statistics and the nodes count articles from 1.
 */

/** `type` of comment/list: 0 all (normal and featured), 1 normal, 2 featured. */
export const COMMENT_TYPES = { all: 0, normal: 1, featured: 2 } as const;

export type CommentType = keyof typeof COMMENT_TYPES;

/** comment/list refuses a `count` of 50 or more ("获取数目（>=50会被拒绝）"). */
export const COMMENT_PAGE_SIZE = 49;

export class CommentArgumentError extends Error {
	constructor(
		message: string,
		readonly hint: string,
	) {
		super(message);
		this.name = 'CommentArgumentError';
	}
}

/** The comment endpoints' 0-based `index` for a 1-based article number: the one place that converts. */
export function commentIndex(articleNumber: unknown): number {
	const number = Number(articleNumber);
	if (!Number.isInteger(number) || number < 1) {
		throw new CommentArgumentError(
			`Article Number must be a whole number from 1, not ${String(articleNumber)}`,
			'Articles count from 1 (the first article of the publication or mass send), as in the statistics items',
		);
	}
	return number - 1;
}

/**
 * A numeric ID WeChat takes as a JSON number (msg_data_id, user_comment_id: Uint32 on its pages),
 * checked as text first so nothing is rounded on the way.
 */
export function numericId(value: unknown, name: string, hint: string): number {
	const text = String(value ?? '').trim();
	if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
		throw new CommentArgumentError(`${name} must be a number made of digits, not "${text}"`, hint);
	}
	return Number(text);
}
