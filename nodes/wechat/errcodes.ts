/**
 * What a WeChat errcode means and what the user should do about it. WeChat's list:
 * https://developers.weixin.qq.com/doc/offiaccount/Getting_Started/Global_Return_Code.html and the
 * error tables of each API's page. docs/troubleshooting.md is generated from this file
 * (`npm run docs:errcodes`).
 */
import { PLATFORM_PATHS } from './platformPaths';

export interface ErrcodeInfo {
	meaning: string;
	action: string;
}

const DEV_KEYS = PLATFORM_PATHS.developmentKeys;
const PERMISSIONS = PLATFORM_PATHS.permissions;

const TOKEN_ADVICE =
	'The node refreshes the access token and retries once by itself; if this persists, check the AppSecret in the credential';

const ERRCODES: Record<number, ErrcodeInfo> = {
	[-1]: { meaning: 'WeChat system busy', action: 'Try again in a little while' },
	40001: { meaning: 'Invalid credential: wrong AppSecret or a stale access token', action: TOKEN_ADVICE },
	40002: { meaning: 'Invalid grant_type', action: 'Report this as a bug of the node' },
	40007: {
		meaning: 'Invalid media_id',
		action: 'Check the media_id: it must be a draft or permanent material of this account. A draft that was mass-sent or published has left the draft box, so it cannot be sent or published again: create a new draft',
	},
	40013: { meaning: 'Invalid AppID', action: `Check the AppID in the credential; it is under ${PLATFORM_PATHS.basicInfo}` },
	40014: { meaning: 'Invalid access token', action: TOKEN_ADVICE },
	40125: { meaning: 'Invalid AppSecret', action: `Check the AppSecret in the credential, or reset it under ${DEV_KEYS}` },
	40164: {
		meaning: "The caller's IP address is not in the account's IP allow-list",
		action: `Add the n8n server's public (egress) IP address, or its CIDR range, to the IP allow-list (IP白名单) under ${DEV_KEYS}; it applies within minutes`,
	},
	40243: {
		meaning: 'The AppSecret is frozen: no access token can be fetched with it',
		action: `Unfreeze the AppSecret (解冻) under ${DEV_KEYS}; it takes effect after about 10 minutes`,
	},
	41001: { meaning: 'Access token missing', action: 'Report this as a bug of the node' },
	42001: { meaning: 'Access token expired', action: TOKEN_ADVICE },
	42007: { meaning: 'Access token revoked (the account password or AppSecret changed)', action: TOKEN_ADVICE },
	44002: { meaning: 'Empty request body', action: 'Fill in the required fields of the operation' },
	45003: { meaning: 'Title too long', action: 'Shorten the title' },
	45004: { meaning: 'Summary (digest) too long', action: 'Shorten the summary, or leave it empty' },
	45009: { meaning: 'Daily API quota exceeded', action: `Wait for the daily reset, or reset the quota under ${PERMISSIONS}` },
	45028: {
		meaning: 'No mass-send quota left',
		action: "The account has used its mass sends: a subscription account (订阅号) may mass-send once a day (to all followers or one tag); a service account (服务号) may send to all followers once a day, and each follower receives at most four mass messages a month. Sends made on the platform website count too. Send tomorrow, or publish without notifying (Publish → Submit)",
	},
	45065: {
		meaning: 'A mass send with this clientmsgid was already made in the last 24 hours',
		action: "Nothing new was sent. WeChat's answer names the earlier send's msg_id: check it with Mass Message → Get (or the trigger's Sent / Not Sent outputs). To send again on purpose, set another Client Msg ID",
	},
	45066: {
		meaning: 'The same clientmsgid was sent again too soon',
		action: 'Wait a minute and run it again: the clientmsgid keeps a repeated run from sending twice',
	},
	45067: { meaning: 'The clientmsgid is longer than 64 bytes', action: 'Shorten the Client Msg ID option to 64 bytes at most' },
	45110: { meaning: 'Author too long', action: 'Shorten the author name to 16 characters or fewer' },
	45011: { meaning: 'API called too frequently', action: 'Slow down: lower the batch size or add a Wait node' },
	47001: { meaning: 'Malformed request body', action: 'Check the JSON of the articles or the parameter values' },
	48001: {
		meaning: 'API not authorised for this account',
		action: `Drafts work on every account; publishing through the API (every Publish operation, since July 2025), mass sending (群发) and preview need a verified account whose subject is not an individual (个人主体). Other accounts publish (发表) or mass-send (群发) the draft by hand from 草稿箱 on mp.weixin.qq.com; an unverified company account can complete WeChat verification (微信认证). An account whose verification expired gets this even for drafts: renew it (年审). What the account may call: ${PERMISSIONS}`,
	},
	50001: { meaning: 'User not authorised for this API', action: `Check the account's permissions under ${PERMISSIONS}` },
	50002: { meaning: 'Account restricted', action: 'Check the account status in the 公众号后台 (mp.weixin.qq.com)' },
	53500: { meaning: 'Publishing is banned for this account', action: 'Check the account status and notices in the 公众号后台 (mp.weixin.qq.com)' },
	53501: { meaning: 'Publishing too often', action: 'Wait before submitting again' },
	53502: { meaning: 'Invalid publish_id', action: 'Use the publish_id returned by Publish → Submit for this account' },
	53503: {
		meaning: 'The draft failed the pre-publish check',
		action: 'Fix the draft (title, cover thumb_media_id, content) and submit again',
	},
	53504: {
		meaning: 'This draft must be published by hand in the 公众号后台',
		action: 'Open the draft in 草稿箱 of the 公众号后台 (mp.weixin.qq.com) and publish (发表) it there',
	},
	53505: {
		meaning: 'The draft must first be saved by hand in the 公众号后台',
		action: 'Open the draft in 草稿箱 of the 公众号后台 (mp.weixin.qq.com), save it once, then submit again',
	},
	53600: { meaning: 'Invalid article_id', action: 'Use an article_id of a published article of this account' },
	61500: { meaning: 'Date format error', action: 'Give Start Date and End Date as dates (YYYY-MM-DD)' },
	61501: {
		meaning: 'Date range error: WeChat refused the dates of this statistics request',
		action: 'Ask for dates up to yesterday (Beijing time) and from 2025-11-01 on; the node splits longer ranges into the one-day requests WeChat accepts',
	},
	88000: {
		meaning: 'No comment permission: this account cannot manage comments through the API',
		action: `Comment management needs a verified account with comments (留言) enabled; check ${PERMISSIONS}, and for a third-party platform the authorised permission set 7`,
	},
	88001: {
		meaning: 'No such article: WeChat does not know this msg_data_id (or this article number in it)',
		action: "Use the msg_data_id and the article number of this account's mass send or publication (the statistics items and the mass-send output carry both); WeChat's comment pages name the msg_data_id of a mass send",
	},
	88002: { meaning: 'The article is restricted for safety reasons', action: 'Check the article and the notices on the platform; comments cannot be managed through the API while it is restricted' },
	88003: { meaning: 'The featured comments of this article reached their limit', action: 'Unfeature a comment first, then feature this one' },
	88004: { meaning: 'The reader deleted this comment', action: 'Nothing to do: the comment is gone' },
	88005: { meaning: 'This comment already has a reply', action: 'Delete the reply first (Comment → Delete Reply), then reply again' },
	88007: { meaning: 'The reply is empty or too long', action: 'Write a reply of at least one character and keep it short' },
	88008: { meaning: 'No such comment', action: 'Use a user_comment_id from Comment → Get Many for this article' },
	88010: { meaning: 'Invalid comment count: a page asks for 50 or more comments', action: 'Report this as a bug of the node (it asks for at most 49 per page)' },
};

/** Token errcodes after which a fresh token may succeed. */
export const TOKEN_ERRCODES: ReadonlySet<number> = new Set([40001, 40014, 42001, 42007]);

/** Every errcode the nodes explain, in ascending order (for the generated documentation). */
export function explainedErrcodes(): Array<{ errcode: number } & ErrcodeInfo> {
	return Object.entries(ERRCODES)
		.map(([errcode, info]) => ({ errcode: Number(errcode), ...info }))
		.sort((a, b) => a.errcode - b.errcode);
}

export function describeErrcode(errcode: number): ErrcodeInfo | undefined {
	return ERRCODES[errcode];
}

/** One line naming the errcode, its meaning and what to do, for every error the nodes raise. */
export function formatErrcode(errcode: number, errmsg?: string): string {
	const info = describeErrcode(errcode);
	const detail = errmsg ? ` (${errmsg})` : '';
	if (!info) return `WeChat error ${errcode}${detail}`;
	return `WeChat error ${errcode}: ${info.meaning}${detail}. ${info.action}.`;
}
