/**
 * After an article goes out: its statistics and comments, over every publication of the account
 * (SandboxState) and mass sends given to it, with the control endpoints tests and the demo use.
 */
import { CommentStore } from './comments';
import { fail } from './errors';
import { beijingDate, type Publication, shiftDate } from './publications';
import { jsonBody, type RouteAnswer, type RouteRequest } from './routes';
import { statisticsEndpoints } from './statistics';

const OK = { errcode: 0, errmsg: 'ok' };

export class Engagement {
	/** Sets `is_delay` on every statistics answer. */
	delayed = false;
	readonly comments: CommentStore;
	/** Publications given through the control API (a mass send, until the sandbox sends them itself). */
	private readonly given: Publication[] = [];
	private readonly publishDates = new Map<string, string>();

	constructor(
		private readonly published: () => Publication[],
		private readonly now: () => number = Date.now,
	) {
		this.comments = new CommentStore(() => this.publications(), now);
	}

	/** Every publication and mass send, with the publish dates moved by `backdate`. */
	publications(): Publication[] {
		return [...this.published(), ...this.given].map((publication) => {
			const date = this.publishDates.get(publication.msgDataId);
			return date ? { ...publication, publishedOn: date } : publication;
		});
	}

	routes(): Map<string, (request: RouteRequest) => RouteAnswer> {
		const json = (handle: (body: Record<string, unknown>) => RouteAnswer) => ({ body }: RouteRequest) => handle(jsonBody(body));
		const statistics = statisticsEndpoints({ publications: () => this.publications(), now: this.now, delayed: () => this.delayed });
		const { comments } = this;
		return new Map([
			...Object.entries(statistics).map(([path, handle]) => [path, json(handle)] as const),
			['/cgi-bin/comment/open', json((body) => (comments.setOpen(body, true), OK))],
			['/cgi-bin/comment/close', json((body) => (comments.setOpen(body, false), OK))],
			['/cgi-bin/comment/list', json((body) => comments.list(body))],
			['/cgi-bin/comment/markelect', json((body) => (comments.setFeatured(body, true), OK))],
			['/cgi-bin/comment/unmarkelect', json((body) => (comments.setFeatured(body, false), OK))],
			['/cgi-bin/comment/delete', json((body) => (comments.delete(body), OK))],
			['/cgi-bin/comment/reply/add', json((body) => (comments.reply(body), OK))],
			['/cgi-bin/comment/reply/delete', json((body) => (comments.deleteReply(body), OK))],
		]);
	}

	/**
	 * POST /sandbox/engagement/…: `comments` adds reader comments, `publication` adds a mass send
	 * (publish_type 0) or publication, `backdate` moves a publish date, `settings` sets the delay
	 * flag and the comment permission. Undefined for any other path.
	 */
	control(path: string, json: Record<string, unknown>): unknown {
		switch (path) {
			case '/sandbox/engagement/comments': {
				const list = Array.isArray(json.comments) ? json.comments : [{ content: json.content }];
				const comments = list.map((entry: unknown) => {
					const { content, openid, featured } = (entry ?? {}) as Record<string, unknown>;
					if (typeof content !== 'string' || content === '') throw new TypeError('each comment needs a content string');
					return { content, openid: typeof openid === 'string' ? openid : undefined, featured: featured === true };
				});
				const ids = this.comments.addReaderComments(String(json.msg_data_id ?? ''), Number(json.articleNumber ?? 1), comments);
				return { user_comment_ids: ids.map(String) };
			}
			case '/sandbox/engagement/publication': {
				const msgDataId = String(json.msg_data_id ?? '');
				if (!/^\d+$/.test(msgDataId)) throw new TypeError('msg_data_id must be a string of digits');
				const titles = Array.isArray(json.titles) ? json.titles.map(String) : ['Mass-sent article'];
				this.given.push({
					msgDataId,
					publishType: json.publish_type === 1 ? 1 : 0,
					publishedOn: typeof json.published_on === 'string' ? json.published_on : shiftDate(beijingDate(this.now()), -1),
					articles: titles.map((title) => ({ title, commentsOpen: json.comments_open !== false })),
				});
				return { ok: true };
			}
			case '/sandbox/engagement/backdate': {
				const date = json.published_on;
				if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new TypeError('published_on must be YYYY-MM-DD');
				if (!this.publications().some((publication) => publication.msgDataId === String(json.msg_data_id))) {
					fail(88001, 'msg_data is not exists');
				}
				this.publishDates.set(String(json.msg_data_id), date);
				return { ok: true };
			}
			case '/sandbox/engagement/settings':
				if (typeof json.delayed === 'boolean') this.delayed = json.delayed;
				if (typeof json.commentPermission === 'boolean') this.comments.permission = json.commentPermission;
				return { ok: true };
			default:
				return undefined;
		}
	}
}
