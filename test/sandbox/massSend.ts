import { createHash } from 'node:crypto';

import type { SandboxConfig } from './config';
import { fail, withRid } from './errors';
import { beijingDate, type Publication } from './publications';
import { jsonBody } from './routes';
import type { RouteAnswer, RouteRequest } from './routes';
import type { NewsItem, SandboxState } from './state';

/** Marks a draft WeChat's originality check judges a reprint, by its first title. */
export const REPRINT_MARK = '[reprint]';

/** WeChat checks the mass sends of the last 24 hours for a known clientmsgid (or audience + content). */
const CLIENT_MSG_ID_WINDOW_MS = 24 * 60 * 60 * 1000;
const MAX_CLIENT_MSG_ID_BYTES = 64;
/** A service account: at most this many sends (each follower gets at most four a month). */
const SERVICE_SENDS = 4;

export type MassSendStatus = 'sending' | 'sent' | 'failed' | 'deleted';

export interface MassSend {
	msgId: string;
	msgDataId: string;
	mediaId: string;
	articles: NewsItem[];
	toAll: boolean;
	tagId?: number;
	audience: number;
	clientMsgId?: string;
	/** What the 24 h check compares: the clientmsgid, or the audience and a digest of the content. */
	key: string;
	sendIgnoreReprint: boolean;
	/** The Status it will end with, chosen when it was accepted (config.massSend of that moment). */
	outcome: string;
	status: MassSendStatus;
	/** The Status of MASSSENDJOBFINISH once the send ended. */
	eventStatus?: string;
	/** The send's article pages once it succeeded. */
	articleId?: string;
	day: number;
	requestedAt: number;
	delayMs: number;
}

export interface Preview {
	msgId: string;
	mediaId: string;
	touser?: string;
	towxname?: string;
}

const MSG_STATUS: Record<MassSendStatus, string> = {
	sending: 'SENDING',
	sent: 'SEND_SUCCESS',
	failed: 'SEND_FAIL',
	deleted: 'DELETE',
};

/**
 * JSON with the named fields as bare numbers, as WeChat's documentation shows msg_id: a 19-digit
 * msg_id is more than a JavaScript number holds, so the client must read it exactly.
 */
function jsonWithBareIds(answer: Record<string, unknown>, fields: readonly string[]): RouteAnswer {
	let body = JSON.stringify(answer);
	for (const field of fields) body = body.replace(new RegExp(`"${field}":"(\\d+)"`), `"${field}":$1`);
	return { raw: { status: 200, contentType: 'application/json; encoding=utf-8', body } };
}

/** 45065: the answer carries the earlier send's msg_id, so it is more than an errcode. */
class KnownKey extends Error {
	constructor(readonly msgId: string) {
		super('clientmsgid exist');
	}
}

/** The mass sends and previews of the emulated account: sendall, preview, get, delete, tags/get. */
export class MassSender {
	readonly sends = new Map<string, MassSend>();
	readonly previews: Preview[] = [];
	private nextMsgId: bigint;
	private nextMsgDataId = 2247490001n;
	private readonly lastRequestByKey = new Map<string, number>();

	constructor(
		private readonly config: SandboxConfig,
		private readonly state: SandboxState,
		/** Starts the send's timer; `finish` ends it. */
		private readonly schedule: (send: MassSend) => void,
	) {
		this.nextMsgId = BigInt(config.massSend.msgIdStart);
	}

	restartMsgIds(start: string): void {
		this.nextMsgId = BigInt(start);
	}

	routes(): Map<string, (request: RouteRequest) => RouteAnswer> {
		return new Map<string, (request: RouteRequest) => RouteAnswer>([
			['/cgi-bin/message/mass/sendall', ({ body }) => this.sendAll(jsonBody(body))],
			['/cgi-bin/message/mass/preview', ({ body }) => this.preview(jsonBody(body))],
			['/cgi-bin/message/mass/get', ({ body }) => this.get(jsonBody(body))],
			['/cgi-bin/message/mass/delete', ({ body }) => this.delete(jsonBody(body))],
			['/cgi-bin/tags/get', () => ({ tags: this.config.massSend.tags.map((tag) => ({ ...tag })) })],
		]);
	}

	private sendAll(body: Record<string, unknown>): RouteAnswer {
		try {
			return this.acceptSend(body);
		} catch (error) {
			if (!(error instanceof KnownKey)) throw error;
			return jsonWithBareIds({ errcode: 45065, errmsg: withRid('clientmsgid exist'), msg_id: error.msgId }, ['msg_id']);
		}
	}

	private acceptSend(body: Record<string, unknown>): RouteAnswer {
		const settings = this.config.massSend;
		if (!settings.allowed) fail(48001, 'api unauthorized');
		const { toAll, tagId, audience } = this.audience(body.filter);
		if (body.msgtype !== 'mpnews') fail(40008, 'invalid message type');
		const clientMsgId = body.clientmsgid === undefined ? undefined : String(body.clientmsgid);
		if (clientMsgId !== undefined && Buffer.byteLength(clientMsgId) > MAX_CLIENT_MSG_ID_BYTES) {
			fail(45067, 'clientmsgid size out of limit');
		}
		const mediaId = (body.mpnews as { media_id?: unknown } | undefined)?.media_id;
		// A known clientmsgid is answered before the draft is looked at: a sent draft has left the box.
		if (clientMsgId !== undefined) this.refuseKnownKey(`id:${clientMsgId}`);
		const articles = this.state.draftArticles(mediaId);
		const digest = createHash('sha256').update(JSON.stringify(articles)).digest('hex');
		const key = clientMsgId !== undefined ? `id:${clientMsgId}` : `auto:${toAll ? 'all' : `tag ${tagId}`}:${digest}`;
		if (clientMsgId === undefined) this.refuseKnownKey(key);
		const now = Date.now();
		this.checkQuota(toAll);
		const send: MassSend = {
			msgId: String(this.nextMsgId++),
			msgDataId: String(this.nextMsgDataId++),
			mediaId: String(mediaId),
			articles,
			toAll,
			tagId,
			audience,
			clientMsgId,
			key,
			sendIgnoreReprint: Number(body.send_ignore_reprint ?? 0) === 1,
			outcome: '',
			status: 'sending',
			day: settings.day,
			requestedAt: now,
			delayMs: settings.delayMs + (toAll && settings.protection.enabled ? settings.protection.delayMs : 0),
		};
		send.outcome = this.outcome(send);
		this.sends.set(send.msgId, send);
		this.schedule(send);
		const answer = { errcode: 0, errmsg: 'send job submission success', msg_id: send.msgId, msg_data_id: send.msgDataId };
		return jsonWithBareIds(answer, ['msg_id', 'msg_data_id']);
	}

	/** 45065 with the earlier msg_id when a send of the last 24 h has this key; 45066 when asked again too fast. */
	private refuseKnownKey(key: string): void {
		const now = Date.now();
		const lastRequest = this.lastRequestByKey.get(key);
		this.lastRequestByKey.set(key, now);
		const earlier = [...this.sends.values()].find((send) => send.key === key && now - send.requestedAt < CLIENT_MSG_ID_WINDOW_MS);
		if (!earlier) return;
		if (lastRequest !== undefined && now - lastRequest < this.config.massSend.clientMsgIdMinIntervalMs) {
			fail(45066, 'same clientmsgid retry too fast');
		}
		throw new KnownKey(earlier.msgId);
	}

	private audience(filter: unknown): { toAll: boolean; tagId?: number; audience: number } {
		const { is_to_all: isToAll, tag_id: tagId } = (filter ?? {}) as { is_to_all?: unknown; tag_id?: unknown };
		if (typeof filter !== 'object' || filter === null) fail(44003, 'empty filter');
		if (isToAll === true) return { toAll: true, audience: this.config.massSend.followers };
		const tag = this.config.massSend.tags.find((candidate) => candidate.id === Number(tagId));
		if (!tag) fail(40050, 'invalid tag id');
		return { toAll: false, tagId: tag.id, audience: tag.count };
	}

	/** 45028 once the account type's sends are used: the sends that did not fail count. */
	private checkQuota(toAll: boolean): void {
		const { accountType, day } = this.config.massSend;
		const counted = [...this.sends.values()].filter((send) => send.status !== 'failed');
		const today = counted.filter((send) => send.day === day);
		const used =
			accountType === 'subscription'
				? today.length >= 1
				: counted.length >= SERVICE_SENDS || (toAll && today.some((send) => send.toAll));
		if (used) fail(45028, 'has no masssend quota');
	}

	/** The Status a send will end with: protection refused, the originality check, or the configured outcome. */
	private outcome(send: MassSend): string {
		const { protection, outcome } = this.config.massSend;
		if (send.toAll && protection.enabled && !protection.confirm) return 'send fail';
		const reprint = String(send.articles[0]?.title ?? '').includes(REPRINT_MARK);
		if (reprint && !send.sendIgnoreReprint) return 'err(30003)';
		return outcome;
	}

	/** Ends a send; the MASSSENDJOBFINISH fields to push, or undefined when it had ended. */
	finish(send: MassSend): Record<string, unknown> | undefined {
		if (send.status !== 'sending') return undefined;
		send.eventStatus = send.outcome;
		const success = send.eventStatus === 'send success';
		send.status = success ? 'sent' : 'failed';
		if (success) send.articleId = this.state.massSendDraft(send.mediaId);
		const reprint = String(send.articles[0]?.title ?? '').includes(REPRINT_MARK);
		const copyright = send.articles.map((_article, index) => ({
			ArticleIdx: index + 1,
			UserDeclareState: 0,
			AuditState: reprint ? 2 : 0,
			OriginalArticleUrl: reprint ? 'https://mp.weixin.qq.com/s/original' : '',
			OriginalArticleType: 1,
			CanReprint: reprint ? 1 : 0,
			NeedReplaceContent: reprint ? 1 : 0,
			NeedShowReprintSource: reprint ? 1 : 0,
		}));
		const urls = send.articleId
			? send.articles.map((_article, index) => ({ ArticleIdx: index + 1, ArticleUrl: this.state.articleUrl(send.articleId!, index + 1) }))
			: [];
		const errors = success ? Math.floor(send.audience / 100) : send.audience;
		return {
			MsgType: 'event',
			Event: 'MASSSENDJOBFINISH',
			MsgID: BigInt(send.msgId),
			Status: send.eventStatus,
			TotalCount: send.audience,
			FilterCount: send.audience,
			SentCount: send.audience - errors,
			ErrorCount: errors,
			CopyrightCheckResult: { Count: copyright.length, ResultList: { item: copyright }, CheckState: reprint ? 2 : 1 },
			ArticleUrlResult: { Count: urls.length, ResultList: { item: urls } },
		};
	}

	private preview(body: Record<string, unknown>): RouteAnswer {
		if (!this.config.massSend.allowed) fail(48001, 'api unauthorized');
		if (body.msgtype !== 'mpnews') fail(40008, 'invalid message type');
		const touser = typeof body.touser === 'string' && body.touser !== '' ? body.touser : undefined;
		const towxname = typeof body.towxname === 'string' && body.towxname !== '' ? body.towxname : undefined;
		if (!touser && !towxname) fail(40003, 'invalid openid');
		const mediaId = (body.mpnews as { media_id?: unknown } | undefined)?.media_id;
		this.state.draftArticles(mediaId);
		const preview = { msgId: String(this.nextMsgId++), mediaId: String(mediaId), touser, towxname };
		this.previews.push(preview);
		return jsonWithBareIds({ errcode: 0, errmsg: 'preview success', msg_id: preview.msgId }, ['msg_id']);
	}

	private send(msgId: unknown): MassSend {
		const send = msgId === undefined ? undefined : this.sends.get(String(msgId));
		if (!send) fail(40004, 'invalid msg_id');
		return send;
	}

	private get(body: Record<string, unknown>): RouteAnswer {
		const send = this.send(body.msg_id);
		if (send.status === 'sending' && Date.now() - send.requestedAt >= send.delayMs) this.settle(send);
		return jsonWithBareIds({ msg_id: send.msgId, msg_status: MSG_STATUS[send.status] }, ['msg_id']);
	}

	/** Set by the sandbox: ends a send whose delay passed (and pushes its result). */
	settle: (send: MassSend) => void = () => {};

	private delete(body: Record<string, unknown>): RouteAnswer {
		const send = this.send(body.msg_id);
		const idx = Number(body.article_idx ?? 0);
		if (!Number.isInteger(idx) || idx < 0 || idx > send.articles.length) fail(47003, 'argument invalid! article_idx');
		const none = send.articleId === undefined || this.state.hideMassArticles(send.articleId, idx);
		if (none && send.status === 'sent') send.status = 'deleted';
		return { errcode: 0, errmsg: 'ok' };
	}

	/** For the control API's state. */
	/** Every successful send (publish_type 0, notified) as the statistics and comment endpoints see it. */
	publications(): Publication[] {
		return [...this.sends.values()]
			.filter((send) => send.status === 'sent')
			.map((send) => ({
				msgDataId: send.msgDataId,
				publishType: 0,
				publishedOn: beijingDate(send.requestedAt),
				articles: send.articles.map((item) => ({ title: String(item.title), commentsOpen: item.need_open_comment === 1 })),
			}));
	}

	snapshot(): Record<string, unknown> {
		return {
			massSends: [...this.sends.values()].map(({ articles: _articles, ...send }) => send),
			previews: this.previews,
		};
	}
}
