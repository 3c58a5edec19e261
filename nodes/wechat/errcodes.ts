/**
 * What a WeChat errcode means and what the user should do about it. WeChat's list:
 * https://developers.weixin.qq.com/doc/offiaccount/Getting_Started/Global_Return_Code.html and the
 * error tables of each API's page. docs/troubleshooting.md is generated from this file
 * (`npm run docs:errcodes`).
 */
export interface ErrcodeInfo {
	meaning: string;
	action: string;
}

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
	40013: { meaning: 'Invalid AppID', action: 'Check the AppID in the credential (Settings and Development → Basic Configuration)' },
	40014: { meaning: 'Invalid access token', action: TOKEN_ADVICE },
	40125: { meaning: 'Invalid AppSecret', action: 'Check the AppSecret in the credential, or reset it on the platform (Settings and Development → Basic Configuration)' },
	40164: {
		meaning: "The caller's IP address is not in the account's IP allow-list",
		action: "Add the n8n server's public (egress) IP address to the IP allow-list on the platform (Settings and Development → Basic Configuration → IP Whitelist)",
	},
	41001: { meaning: 'Access token missing', action: 'Report this as a bug of the node' },
	42001: { meaning: 'Access token expired', action: TOKEN_ADVICE },
	42007: { meaning: 'Access token revoked (the account password or AppSecret changed)', action: TOKEN_ADVICE },
	44002: { meaning: 'Empty request body', action: 'Fill in the required fields of the operation' },
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
	45009: { meaning: 'Daily API quota exceeded', action: 'Wait for the daily reset, or clear the quota on the platform (Settings and Development → Interface Permissions)' },
	45011: { meaning: 'API called too frequently', action: 'Slow down: lower the batch size or add a Wait node' },
	47001: { meaning: 'Malformed request body', action: 'Check the JSON of the articles or the parameter values' },
	48001: {
		meaning: 'API not authorised for this account',
		action: 'The account lacks this permission. Mass send (群发) and preview need a verified subscription or service account; since July 2025 personal accounts, unverified accounts and accounts that cannot be verified have also lost publishing through the API (freepublish). Drafts and image uploads still work for them: create the draft with the node and publish or send it by hand on the platform website. An account whose verification expired gets this even for drafts: renew the verification',
	},
	50001: { meaning: 'User not authorised for this API', action: 'Check the interface permissions on the platform' },
	50002: { meaning: 'Account restricted', action: 'Check the account status on the platform' },
	53500: { meaning: 'Publishing is banned for this account', action: 'Check the account status and notices on the platform' },
	53501: { meaning: 'Publishing too often', action: 'Wait before submitting again' },
	53502: { meaning: 'Invalid publish_id', action: 'Use the publish_id returned by Publish → Submit for this account' },
	53503: {
		meaning: 'The draft failed the pre-publish check',
		action: 'Fix the draft (title, cover thumb_media_id, content) and submit again',
	},
	53504: {
		meaning: 'This draft must be published on the platform website',
		action: 'Open the draft on the platform website and publish it there',
	},
	53505: {
		meaning: 'The draft must first be saved manually on the platform website',
		action: 'Open the draft on the platform website, save it once, then submit again',
	},
	53600: { meaning: 'Invalid article_id', action: 'Use an article_id of a published article of this account' },
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
