/**
 * Distinct, validly signed PUBLISHJOBFINISH (or MASSSENDJOBFINISH) pushes, built exactly as the sandbox (and WeChat)
 * sends them, for the trigger benches. Each has its own publish_id, so dedup never drops one.
 */
import { SANDBOX_DEFAULTS, toXml } from '../test/sandbox';
import type { PushMode } from '../test/sandbox';
import { envelope, signPush } from '../test/sandbox/pusher';

/** The callback side of the sandbox's account: what the trigger's credential holds. */
export const ACCOUNT = {
	appId: SANDBOX_DEFAULTS.appId,
	token: SANDBOX_DEFAULTS.token,
	encodingAesKey: SANDBOX_DEFAULTS.encodingAesKey,
};

export interface SignedEvent {
	/** The plaintext XML of the event (what a bare parse reads). */
	xml: string;
	/** The query as express parses it. */
	query: Record<string, string>;
	/** The same query as a string, for HTTP. */
	queryString: string;
	/** The request body: the XML itself in plain mode, the envelope in safe mode. */
	body: string;
}

const FIRST_PUBLISH_ID = 2247503051n;

/** The `index`th PUBLISHJOBFINISH, published with one article. */
export function publishEventXml(index: number): string {
	const publishId = FIRST_PUBLISH_ID + BigInt(index);
	return toXml(
		envelope({
			MsgType: 'event',
			Event: 'PUBLISHJOBFINISH',
			PublishEventInfo: {
				publish_id: publishId,
				publish_status: 0,
				article_id: `b5O2OUs25HBxRceL7hfReg-U9QGeq9zQjiDvyWP4Hq4-${index}`,
				article_detail: { count: 1, item: [{ idx: 1, article_url: `https://mp.weixin.qq.com/s/${index}` }] },
				fail_idx: [],
			},
		}),
	);
}

const FIRST_MSG_ID = 1000001625n;

/** The `index`th MASSSENDJOBFINISH: sent, one article with its copyright check and URL. */
export function massSendEventXml(index: number): string {
	return toXml(
		envelope({
			MsgType: 'event',
			Event: 'MASSSENDJOBFINISH',
			MsgID: FIRST_MSG_ID + BigInt(index),
			Status: 'send success',
			TotalCount: 1200,
			FilterCount: 1200,
			SentCount: 1188,
			ErrorCount: 12,
			CopyrightCheckResult: {
				Count: 1,
				ResultList: { item: [{ ArticleIdx: 1, UserDeclareState: 0, AuditState: 0, OriginalArticleUrl: '', OriginalArticleType: 0, CanReprint: 0, NeedReplaceContent: 0, NeedShowReprintSource: 0 }] },
				CheckState: 1,
			},
			ArticleUrlResult: { Count: 1, ResultList: { item: [{ ArticleIdx: 1, ArticleUrl: `https://mp.weixin.qq.com/s/mass-${index}` }] } },
		}),
	);
}

export type BenchEventKind = 'publish' | 'massSend';

/**
 * The signed URLs (timestamp + nonce) handed out in the current second. The trigger refuses one
 * that comes again with another body, and among thousands of pushes signed in the same second a
 * random nonce can repeat: such a push is signed again. Only the current second is kept (a URL
 * of another second has another timestamp), so the memory bench measures the trigger, not this.
 */
const signedUrls = { second: '', nonces: new Set<string>() };

/** Whether the push's signed URL is new; if so it is remembered. */
function claimSignedUrl(query: string): boolean {
	const parameters = new URLSearchParams(query);
	const timestamp = parameters.get('timestamp') ?? '';
	const nonce = parameters.get('nonce') ?? '';
	if (timestamp !== signedUrls.second) {
		signedUrls.second = timestamp;
		signedUrls.nonces.clear();
	}
	if (signedUrls.nonces.has(nonce)) return false;
	signedUrls.nonces.add(nonce);
	return true;
}

/** `count` distinct events from `first`, signed (and in safe mode encrypted) for `mode`, timestamped now. */
export function signedEvents(mode: PushMode, count: number, first = 0, kind: BenchEventKind = 'publish'): SignedEvent[] {
	const events: SignedEvent[] = [];
	for (let index = first; index < first + count; index++) {
		const xml = kind === 'publish' ? publishEventXml(index) : massSendEventXml(index);
		let push = signPush(xml, mode, SANDBOX_DEFAULTS);
		while (!claimSignedUrl(push.query)) push = signPush(xml, mode, SANDBOX_DEFAULTS);
		events.push({
			xml,
			query: Object.fromEntries(new URLSearchParams(push.query)),
			queryString: push.query,
			body: push.body,
		});
	}
	return events;
}
