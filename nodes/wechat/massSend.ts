/**
 * Mass send (群发) results: `message/mass/get`'s msg_status and the MASSSENDJOBFINISH push
 * (https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Batch_Sends_and_Originality_Checks.html).
 */
import { asArray, asId, asInteger, WeChatXmlError } from './events';
import type { WeChatMessage } from './events';

export type MassSendStatusName = 'sending' | 'sent' | 'failed' | 'deleted' | 'unknown';

const MSG_STATUS_NAMES: Readonly<Record<string, MassSendStatusName>> = {
	SENDING: 'sending',
	SEND_SUCCESS: 'sent',
	SEND_FAIL: 'failed',
	DELETE: 'deleted',
};

/** `message/mass/get`'s answer: msg_id a string, WeChat's msg_status and its name. */
export function toMassSendStatus(fields: Record<string, unknown>): { msg_id: string; msg_status: string; status: MassSendStatusName } {
	const msgStatus = typeof fields.msg_status === 'string' ? fields.msg_status : '';
	return { msg_id: asId(fields.msg_id), msg_status: msgStatus, status: MSG_STATUS_NAMES[msgStatus] ?? 'unknown' };
}

export type MassSendEventStatus = 'sent' | 'failed' | 'rejected' | 'unknown';

/** Why WeChat refused a send, by the N of `err(N)` (WeChat's event page lists them). */
const REFUSAL_REASONS: Readonly<Record<number, string>> = {
	10001: 'suspected advertising',
	20001: 'suspected political content',
	20002: 'suspected pornography',
	20004: 'suspected harm to society',
	20006: 'suspected crime',
	20008: 'suspected fraud',
	20013: 'suspected copyright infringement',
	21000: 'other reasons',
	22000: 'suspected mutual promotion',
	30001: 'the originality check failed (system error) and the send stops on a reprint',
	30002: 'the originality check judged the articles not sendable',
	30003: 'the originality check judged an article a reprint and the send stops on a reprint',
};

const REFUSAL = /^err\((\d{1,9})\)$/;
const DIGITS = /^\d+$/;

/** `Status` in words: `send success`, `send fail`, `err(N)` (N and its reason); anything else unknown. */
export function massSendEventStatus(raw: string): { status: MassSendEventStatus; statusCode: number | null; statusReason: string | null } {
	// The page says `send success`; pushes and SDKs show `sendsuccess` too.
	const text = raw.replace(/\s+/g, '').toLowerCase();
	if (text === 'sendsuccess') return { status: 'sent', statusCode: null, statusReason: null };
	if (text === 'sendfail') return { status: 'failed', statusCode: null, statusReason: null };
	const code = REFUSAL.exec(text)?.[1];
	if (code === undefined) return { status: 'unknown', statusCode: null, statusReason: null };
	const statusCode = Number(code);
	const statusReason = REFUSAL_REASONS[statusCode] ?? `refused by WeChat for a reason this node does not know (err(${statusCode}))`;
	return { status: 'rejected', statusCode, statusReason };
}

export interface MassSendEventItem extends WeChatMessage {
	ToUserName: string;
	FromUserName: string;
	CreateTime: number;
	MsgType: 'event';
	Event: 'MASSSENDJOBFINISH';
	msg_id: string;
	Status: string;
	status: MassSendEventStatus;
	statusCode: number | null;
	statusReason: string | null;
	TotalCount: number;
	FilterCount: number;
	SentCount: number;
	ErrorCount: number;
	CopyrightCheckResult: { Count: number; CheckState?: number; ResultList: Array<Record<string, unknown>> };
	ArticleUrlResult: { Count: number; ResultList: Array<Record<string, unknown>> };
}

export function isMassSendEvent(message: WeChatMessage): boolean {
	return message.MsgType === 'event' && message.Event === 'MASSSENDJOBFINISH';
}

function count(value: unknown, field: string): number {
	return value === undefined || value === '' ? 0 : asInteger(value, field);
}

/** `<ResultList><item>…</item>…</ResultList>` as an array of items; their whole numbers as numbers. */
function resultList(value: unknown): Array<Record<string, unknown>> {
	const list = value !== null && typeof value === 'object' ? (value as Record<string, unknown>).item : undefined;
	return asArray(list)
		.filter((entry): entry is Record<string, unknown> => entry !== null && typeof entry === 'object' && !Array.isArray(entry))
		.map((entry) =>
			Object.fromEntries(
				Object.entries(entry).map(([key, field]) => [key, typeof field === 'string' && DIGITS.test(field) ? Number(field) : field]),
			),
		);
}

function resultGroup(value: unknown, name: string): { Count: number; CheckState?: number; ResultList: Array<Record<string, unknown>> } {
	const group = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
	const list = resultList(group.ResultList);
	const result: { Count: number; CheckState?: number; ResultList: Array<Record<string, unknown>> } = {
		Count: group.Count === undefined ? list.length : count(group.Count, `${name}.Count`),
		ResultList: list,
	};
	if (group.CheckState !== undefined && group.CheckState !== '') result.CheckState = asInteger(group.CheckState, `${name}.CheckState`);
	return result;
}

/**
 * A MASSSENDJOBFINISH push as the trigger emits it: msg_id a string (never through a number),
 * counts numbers, both ResultLists arrays, Status decoded. Throws WeChatXmlError without MsgID or Status.
 */
export function toMassSendEventItem(message: WeChatMessage): MassSendEventItem {
	const msgId = asId(message.MsgID);
	if (msgId === '' || !DIGITS.test(msgId)) throw new WeChatXmlError('MISSING_FIELD', 'MASSSENDJOBFINISH without a MsgID');
	if (typeof message.Status !== 'string' || message.Status.trim() === '') {
		throw new WeChatXmlError('MISSING_FIELD', 'MASSSENDJOBFINISH without a Status');
	}
	// WeChat's MsgID becomes msg_id, the name every other mass-send item uses.
	const rest = { ...message };
	delete rest.MsgID;
	return {
		...rest,
		ToUserName: asId(message.ToUserName),
		FromUserName: asId(message.FromUserName),
		CreateTime: asInteger(message.CreateTime, 'CreateTime'),
		MsgType: 'event',
		Event: 'MASSSENDJOBFINISH',
		msg_id: msgId,
		Status: message.Status,
		...massSendEventStatus(message.Status),
		TotalCount: count(message.TotalCount, 'TotalCount'),
		FilterCount: count(message.FilterCount, 'FilterCount'),
		SentCount: count(message.SentCount, 'SentCount'),
		ErrorCount: count(message.ErrorCount, 'ErrorCount'),
		CopyrightCheckResult: resultGroup(message.CopyrightCheckResult, 'CopyrightCheckResult'),
		ArticleUrlResult: resultGroup(message.ArticleUrlResult, 'ArticleUrlResult'),
	};
}
