import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { CallKind } from '../../../wechat/api';
import { articleFields, counts, dateProperties, HEADLINE_COUNTS, readStatistics, simplifyProperty, simplifyWanted } from './common';

export const description = updateDisplayOptions(
	{ show: { resource: ['statistics'], operation: ['getArticleDetails'] } },
	[
		...dateProperties.map((property) => ({
			...property,
			description:
				property.name === 'startDate'
					? 'The first publish date to report (Beijing time): every article published or mass-sent from this day on. WeChat keeps this data from 2025-11-01 on.'
					: 'The last publish date to report, at most yesterday (Beijing time). The node asks WeChat one day at a time.',
		})),
		simplifyProperty,
	],
);

/** Only reads WeChat. */
export const kind: CallKind = 'read';

/**
 * One item per article published in the range: getarticletotaldetail's numbers, summed from the
 * publish date to each `stat_date` (up to 30 days); Simplify keeps the latest day's.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const entries = await readStatistics.call(this, '/datacube/getarticletotaldetail', itemIndex);
	const simplify = simplifyWanted.call(this, itemIndex);
	return entries.map(({ entry, is_delay }) => {
		if (!simplify) return { ...articleFields(entry), ...entry, is_delay };
		const days = (entry.detail_list as IDataObject[] | undefined) ?? [];
		const latest = days.reduce<IDataObject | undefined>(
			(found, day) => (found === undefined || String(day.stat_date) > String(found.stat_date) ? day : found),
			undefined,
		);
		return {
			...articleFields(entry),
			ref_date: entry.ref_date,
			publish_type: Number(entry.publish_type),
			stat_date: latest?.stat_date ?? null,
			...counts(latest, [...HEADLINE_COUNTS, 'read_subscribe_user']),
			is_delay,
		};
	});
}
