/**
 * Comment management (comment/open, close, list, markelect, unmarkelect, delete, reply/add,
 * reply/delete) on the account's publications, named by msg_data_id and a 0-based `index`, and
 * the reader comments tests and the demo add through the control API.
 */
import { fail } from './errors';
import type { Publication } from './publications';

interface StoredComment {
	userCommentId: number;
	openid: string;
	createTime: number;
	content: string;
	featured: boolean;
	reply?: { content: string; create_time: number };
}

interface ArticleComments {
	open: boolean;
	comments: StoredComment[];
}

/** comment/list's `count` must stay under 50. */
const MAX_PAGE = 49;
/** A reply longer than this is refused with 88007 (WeChat states no number; the sandbox picks one). */
const MAX_REPLY_CHARS = 1000;

export class CommentStore {
	/** When false, every comment endpoint answers 88000 (an account without comment permission). */
	permission = true;
	private readonly articles = new Map<string, ArticleComments>();
	private nextId = 1;

	constructor(
		private readonly publications: () => Publication[],
		private readonly now: () => number,
	) {}

	/** The article a request names, or WeChat's 88000 / 88001. */
	private article(body: Record<string, unknown>): ArticleComments {
		if (!this.permission) fail(88000, 'without comment privilege');
		const msgDataId = String(body.msg_data_id ?? '');
		const index = body.index ?? 0;
		const publication = this.publications().find((candidate) => candidate.msgDataId === msgDataId);
		if (!publication || !Number.isInteger(index) || (index as number) < 0 || (index as number) >= publication.articles.length) {
			fail(88001, 'msg_data is not exists');
		}
		const key = `${msgDataId}_${index as number}`;
		let article = this.articles.get(key);
		if (!article) {
			article = { open: publication.articles[index as number].commentsOpen, comments: [] };
			this.articles.set(key, article);
		}
		return article;
	}

	private comment(body: Record<string, unknown>): StoredComment {
		const article = this.article(body);
		const comment = article.comments.find((candidate) => candidate.userCommentId === body.user_comment_id);
		if (!comment) fail(88008, 'comment is not exists');
		return comment;
	}

	setOpen(body: Record<string, unknown>, open: boolean): void {
		this.article(body).open = open;
	}

	list(body: Record<string, unknown>): Record<string, unknown> {
		const article = this.article(body);
		const { begin, count, type } = body;
		if (!Number.isInteger(count) || (count as number) < 1 || (count as number) > MAX_PAGE) {
			fail(88010, 'count range error. cout <= 0 or count > 50');
		}
		if (!Number.isInteger(begin) || (begin as number) < 0 || ![0, 1, 2].includes(type as number)) fail(47001, 'data format error');
		const matching = article.comments.filter((comment) => type === 0 || comment.featured === (type === 2));
		const page = matching.slice(begin as number, (begin as number) + (count as number)).map((comment) => ({
			user_comment_id: comment.userCommentId,
			openid: comment.openid,
			create_time: comment.createTime,
			content: comment.content,
			comment_type: comment.featured ? 1 : 0,
			...(comment.reply ? { reply: { ...comment.reply } } : {}),
		}));
		return { errcode: 0, errmsg: 'ok', total: matching.length, comment: page };
	}

	setFeatured(body: Record<string, unknown>, featured: boolean): void {
		this.comment(body).featured = featured;
	}

	delete(body: Record<string, unknown>): void {
		const comment = this.comment(body);
		const article = this.article(body);
		article.comments = article.comments.filter((candidate) => candidate !== comment);
	}

	reply(body: Record<string, unknown>): void {
		const comment = this.comment(body);
		const content = typeof body.content === 'string' ? body.content : '';
		if (content.length === 0 || [...content].length > MAX_REPLY_CHARS) {
			fail(88007, 'reply content beyond max len or content len is zero');
		}
		if (comment.reply) fail(88005, 'already reply');
		comment.reply = { content, create_time: Math.floor(this.now() / 1000) };
	}

	deleteReply(body: Record<string, unknown>): void {
		delete this.comment(body).reply;
	}

	/** Reader comments (the control API): refused while the article's comments are closed. */
	addReaderComments(
		msgDataId: string,
		articleNumber: number,
		comments: Array<{ content: string; openid?: string; featured?: boolean }>,
	): number[] {
		const article = this.article({ msg_data_id: msgDataId, index: articleNumber - 1 });
		if (!article.open) throw new TypeError('comments are closed on this article: open them first (comment/open)');
		return comments.map(({ content, openid, featured }) => {
			const userCommentId = this.nextId++;
			article.comments.push({
				userCommentId,
				openid: openid ?? `oReader${String(userCommentId).padStart(6, '0')}`,
				createTime: Math.floor(this.now() / 1000),
				content,
				featured: featured === true,
			});
			return userCommentId;
		});
	}
}
