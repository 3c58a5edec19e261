/**
 * The datacube endpoints of published content (getarticletotaldetail, getarticleread,
 * getarticleshare, getbizsummary) over the account's publications: plausible numbers that are the
 * same on every run (derived from the msg_data_id, article number and date), WeChat's range checks.
 */
import { createHash } from 'node:crypto';

import { fail } from './errors';
import { beijingDate, daysBetween, type Publication, shiftDate } from './publications';

/** WeChat keeps this data from 2025-11-01; earlier days come back empty. */
const FIRST_DATA_DATE = '2025-11-01';
/** getarticletotaldetail sums each article's numbers over at most 30 days from its publish date. */
const DETAIL_DAYS = 30;

type Metrics = Record<string, unknown> & { read_user: number; share_user: number };

function seed(...parts: Array<string | number>): number {
	return createHash('sha256').update(parts.join('|')).digest().readUInt32BE(0);
}

const SCENES = ['公众号消息', '公众号主页', '聊天会话', '朋友圈', '推荐', '搜一搜', '其他'];

/** One article's numbers of one day: many readers on the first days, fewer later. */
function dayMetrics(publication: Publication, articleNumber: number, date: string): Metrics | undefined {
	const age = daysBetween(publication.publishedOn, date);
	if (age < 0) return undefined;
	const base = 150 + (seed(publication.msgDataId, articleNumber) % 900);
	const reach = publication.publishType === 0 ? 1.6 : 1;
	const read = Math.floor((base * reach) / (1 + age) ** 1.4 + (seed(publication.msgDataId, articleNumber, date) % 7));
	const share = Math.floor((read * (4 + (seed(publication.msgDataId, articleNumber, 'share') % 9))) / 100);
	// A notified article is read mostly from the chat list; a published one from the profile and shares.
	const weights = publication.publishType === 0 ? [55, 10, 15, 10, 5, 3, 2] : [3, 35, 25, 17, 10, 7, 3];
	const sources = SCENES.map((scene, index) => ({ scene_desc: scene, user_count: Math.floor((read * weights[index]) / 100) }));
	return {
		read_user: read,
		read_user_source: [{ scene_desc: '全部', user_count: read }, ...sources],
		share_user: share,
		read_subscribe_user: Math.floor(read * 0.6),
		zaikan_user: Math.floor(read * 0.02),
		like_user: Math.floor(read * 0.03),
		comment_count: Math.floor(read * 0.01),
		collection_user: Math.floor(read * 0.015),
		praise_money: 0,
	};
}

/** The numbers of several days added up (sources by scene). */
function sum(days: Metrics[]): Metrics {
	const total: Metrics = { read_user: 0, share_user: 0 };
	const sources = new Map<string, number>();
	for (const day of days) {
		for (const [name, value] of Object.entries(day)) {
			if (typeof value === 'number') total[name] = ((total[name] as number | undefined) ?? 0) + value;
		}
		for (const { scene_desc, user_count } of day.read_user_source as Array<{ scene_desc: string; user_count: number }>) {
			sources.set(scene_desc, (sources.get(scene_desc) ?? 0) + user_count);
		}
	}
	total.read_user_source = [...sources].map(([scene_desc, user_count]) => ({ scene_desc, user_count }));
	return total;
}

/**
 * `begin_date` and `end_date` checked as WeChat checks them: YYYY-MM-DD (61500), at most
 * yesterday in Beijing, begin not after end and at most `windowDays` long (61501). The days asked.
 */
function checkRange(body: Record<string, unknown>, now: number, windowDays: number): string[] {
	const valid = (value: unknown): value is string =>
		typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
	if (!valid(body.begin_date) || !valid(body.end_date)) fail(61500, 'date format error');
	const yesterday = shiftDate(beijingDate(now), -1);
	const span = daysBetween(body.begin_date, body.end_date) + 1;
	if (body.end_date > yesterday || span < 1 || span > windowDays) fail(61501, 'date range error');
	return Array.from({ length: span }, (_value, offset) => shiftDate(body.begin_date as string, offset)).filter(
		(date) => date >= FIRST_DATA_DATE,
	);
}

function eachArticle(publications: Publication[], visit: (publication: Publication, articleNumber: number) => void): void {
	for (const publication of publications) {
		publication.articles.forEach((_article, index) => visit(publication, index + 1));
	}
}

export interface StatisticsOptions {
	publications: () => Publication[];
	now: () => number;
	/** The `is_delay` every answer carries (WeChat: the numbers are not final yet). */
	delayed: () => boolean;
}

/** The four endpoints, each answering `{ list, is_delay }`; every one takes one day per call. */
export function statisticsEndpoints({ publications, now, delayed }: StatisticsOptions): Record<string, (body: Record<string, unknown>) => Record<string, unknown>> {
	const answer = (list: unknown[]) => ({ list, is_delay: delayed() });
	const msgid = (publication: Publication, articleNumber: number) => `${publication.msgDataId}_${articleNumber}`;
	return {
		'/datacube/getarticletotaldetail': (body) => {
			const days = checkRange(body, now(), 1);
			const yesterday = shiftDate(beijingDate(now()), -1);
			const list: unknown[] = [];
			eachArticle(
				publications().filter((publication) => days.includes(publication.publishedOn)),
				(publication, articleNumber) => {
					const detailList = [];
					const daily: Metrics[] = [];
					for (let age = 0; age < DETAIL_DAYS; age++) {
						const statDate = shiftDate(publication.publishedOn, age);
						if (statDate > yesterday) break;
						daily.push(dayMetrics(publication, articleNumber, statDate)!);
						detailList.push({ stat_date: statDate, ...sum(daily) });
					}
					list.push({ ref_date: publication.publishedOn, msgid: msgid(publication, articleNumber), publish_type: publication.publishType, detail_list: detailList });
				},
			);
			return answer(list);
		},
		'/datacube/getarticleread': (body) => {
			const list: unknown[] = [];
			for (const date of checkRange(body, now(), 1)) {
				eachArticle(publications(), (publication, articleNumber) => {
					const day = dayMetrics(publication, articleNumber, date);
					if (day && day.read_user > 0) {
						list.push({ ref_date: date, msgid: msgid(publication, articleNumber), detail: { read_user: day.read_user, read_user_source: day.read_user_source } });
					}
				});
			}
			return answer(list);
		},
		'/datacube/getarticleshare': (body) => {
			const list: unknown[] = [];
			for (const date of checkRange(body, now(), 1)) {
				eachArticle(publications(), (publication, articleNumber) => {
					const day = dayMetrics(publication, articleNumber, date);
					if (day && day.share_user > 0) list.push({ ref_date: date, msgid: msgid(publication, articleNumber), detail: { share_user: day.share_user } });
				});
			}
			return answer(list);
		},
		'/datacube/getbizsummary': (body) => {
			const list = checkRange(body, now(), 1).map((date) => {
				const days: Metrics[] = [];
				eachArticle(publications(), (publication, articleNumber) => {
					const day = dayMetrics(publication, articleNumber, date);
					if (day) days.push(day);
				});
				const detail = sum(days);
				delete detail.read_subscribe_user;
				delete detail.praise_money;
				return { ref_date: date, detail };
			});
			return answer(list);
		},
	};
}
