import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { CallKind } from '../../../wechat/api';
import { articleFields, counts, dateProperties, readStatistics, simplifyProperty, simplifyWanted } from './common';

export const description = updateDisplayOptions(
	{ show: { resource: ['statistics'], operation: ['getDailyShares'] } },
	[...dateProperties, simplifyProperty],
);

/** Only reads WeChat. */
export const kind: CallKind = 'read';

/** One item per day and article shared that day (getarticleshare). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const entries = await readStatistics.call(this, '/datacube/getarticleshare', itemIndex);
	const simplify = simplifyWanted.call(this, itemIndex);
	return entries.map(({ entry, is_delay }) =>
		simplify
			? { ref_date: entry.ref_date, ...articleFields(entry), ...counts(entry.detail as IDataObject | undefined, ['share_user']), is_delay }
			: { ...articleFields(entry), ...entry, is_delay },
	);
}
