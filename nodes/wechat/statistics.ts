/**
 * WeChat's statistics of published content (pages "获取发表内容…" under
 * https://developers.weixin.qq.com/doc/subscription/api/wedata/news/api_getarticletotaldetail.html):
 * dates, the windows a range is asked in, and the `msgid` that names an article.
 */

export type StatisticsEndpoint =
	| '/datacube/getarticletotaldetail'
	| '/datacube/getarticleread'
	| '/datacube/getarticleshare'
	| '/datacube/getbizsummary';

/**
 * The longest range, in days, one call may ask for. getarticleread and getarticleshare say "日期范围
 * 仅支持查询1天"; getarticletotaldetail answers 61501 (date range error) to a range of several days
 * (its range names publish dates, each article's numbers then cover up to 30 days); getbizsummary
 * states no limit, so it is asked day by day too: a one-day range is valid for all four.
 */
export const WINDOW_DAYS: Record<StatisticsEndpoint, number> = {
	'/datacube/getarticletotaldetail': 1,
	'/datacube/getarticleread': 1,
	'/datacube/getarticleshare': 1,
	'/datacube/getbizsummary': 1,
};

/** WeChat keeps this data from this date on ("数据存储起始时间为2025-11-01"). */
export const FIRST_DATA_DATE = '2025-11-01';

/** The most days one node call asks for: a year, so a wrong expression cannot fire off thousands of calls. */
export const MAX_RANGE_DAYS = 366;

const DAY_MS = 86_400_000;
/** WeChat's statistics days are days in Beijing time (UTC+8, no daylight saving). */
const BEIJING_OFFSET_MS = 8 * 3_600_000;

export class StatisticsRangeError extends Error {
	constructor(
		message: string,
		readonly hint: string,
	) {
		super(message);
		this.name = 'StatisticsRangeError';
	}
}

/** `YYYY-MM-DD` at the start of a value (a date, or a date-time as n8n's date picker gives it), or undefined. */
export function toDateString(value: unknown): string | undefined {
	const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(value ?? '').trim());
	if (!match) return undefined;
	const date = `${match[1]}-${match[2]}-${match[3]}`;
	return dayNumber(date) === undefined ? undefined : date;
}

/** Days since 1970-01-01 for an exact calendar date (2026-02-30 is not one). */
function dayNumber(date: string): number | undefined {
	const ms = Date.parse(`${date}T00:00:00Z`);
	if (Number.isNaN(ms)) return undefined;
	return new Date(ms).toISOString().slice(0, 10) === date ? ms / DAY_MS : undefined;
}

function fromDayNumber(day: number): string {
	return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Today's date in Beijing, the day WeChat's statistics have not closed yet. */
export function beijingToday(nowMs: number): string {
	return new Date(nowMs + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
	return fromDayNumber((dayNumber(date) ?? 0) + days);
}

export interface DateWindow {
	begin_date: string;
	end_date: string;
}

/**
 * The calls a range becomes: windows of at most `windowDays`, in order. Refuses what WeChat
 * would refuse, with a message that says why: a range ending today or later (data is served up
 * to yesterday, Beijing time), start after end, dates before FIRST_DATA_DATE, over MAX_RANGE_DAYS.
 */
export function splitRange(start: string, end: string, windowDays: number, nowMs: number): DateWindow[] {
	const first = dayNumber(start);
	const last = dayNumber(end);
	if (first === undefined || last === undefined) {
		throw new StatisticsRangeError('Start Date and End Date must be dates (YYYY-MM-DD)', 'Pick the dates, or give them as e.g. 2026-11-01');
	}
	const yesterday = addDays(beijingToday(nowMs), -1);
	if (end > yesterday) {
		throw new StatisticsRangeError(
			`End Date ${end} is too late: WeChat serves statistics up to yesterday (${yesterday}, Beijing time)`,
			`Set End Date to ${yesterday} or earlier, e.g. {{ $today.minus({ days: 1 }).toFormat('yyyy-MM-dd') }}`,
		);
	}
	if (first > last) {
		throw new StatisticsRangeError(`Start Date ${start} is after End Date ${end}`, 'Swap the dates');
	}
	if (start < FIRST_DATA_DATE) {
		throw new StatisticsRangeError(
			`Start Date ${start} is before ${FIRST_DATA_DATE}, the first day WeChat keeps this data for`,
			`Set Start Date to ${FIRST_DATA_DATE} or later`,
		);
	}
	if (last - first + 1 > MAX_RANGE_DAYS) {
		throw new StatisticsRangeError(
			`The range ${start} to ${end} is longer than ${MAX_RANGE_DAYS} days`,
			'Ask for a shorter range, or split it across several items',
		);
	}
	const windows: DateWindow[] = [];
	for (let day = first; day <= last; day += windowDays) {
		windows.push({ begin_date: fromDayNumber(day), end_date: fromDayNumber(Math.min(day + windowDays - 1, last)) });
	}
	return windows;
}

/**
 * WeChat's `msgid` "2247490098_1" as the `msg_data_id` of the publication or mass send and the
 * 1-based article number in it. Split as text, so a long ID keeps every digit.
 */
export function splitMsgid(msgid: unknown): { msg_data_id: string; articleNumber: number | null } {
	const text = String(msgid ?? '');
	const match = /^(\d+)_(\d+)$/.exec(text);
	if (!match) return { msg_data_id: text, articleNumber: null };
	return { msg_data_id: match[1], articleNumber: Number(match[2]) };
}

/** `publish_type` 0: sent with a notification (mass send, 群发); 1: published without one. */
export function isNotified(publishType: unknown): boolean | null {
	if (publishType === 0 || publishType === '0') return true;
	if (publishType === 1 || publishType === '1') return false;
	return null;
}
