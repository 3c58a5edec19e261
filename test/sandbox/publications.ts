/**
 * What the statistics and comment endpoints know about: every publication (freepublish) and mass
 * send of the emulated account, in one shape, so any list of sent articles plugs in.
 */
export interface Publication {
	/** The msg_data_id freepublish/submit or mass send returned (digits, kept as text). */
	msgDataId: string;
	/** WeChat's publish_type: 0 notified (mass send, 群发), 1 not notified (publish). */
	publishType: 0 | 1;
	/** The Beijing date it went out: `YYYY-MM-DD`. */
	publishedOn: string;
	articles: Array<{ title: string; commentsOpen: boolean }>;
}

const DAY_MS = 86_400_000;

/** The day in Beijing (UTC+8), where WeChat's statistics days begin and end. */
export function beijingDate(ms: number): string {
	return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
}

export function shiftDate(date: string, days: number): string {
	return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
	return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}
