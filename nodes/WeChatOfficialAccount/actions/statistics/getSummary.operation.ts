import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { CallKind } from '../../../wechat/api';
import { counts, dateProperties, HEADLINE_COUNTS, readStatistics, simplifyProperty, simplifyWanted } from './common';

export const description = updateDisplayOptions(
	{ show: { resource: ['statistics'], operation: ['getSummary'] } },
	[...dateProperties, simplifyProperty],
);

/** Only reads WeChat. */
export const kind: CallKind = 'read';

/** One item per day: the account's published content as a whole that day (getbizsummary). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const entries = await readStatistics.call(this, '/datacube/getbizsummary', itemIndex);
	const simplify = simplifyWanted.call(this, itemIndex);
	return entries.map(({ entry, is_delay }) =>
		simplify
			? { ref_date: entry.ref_date, ...counts(entry.detail as IDataObject | undefined, HEADLINE_COUNTS), is_delay }
			: { ...entry, is_delay },
	);
}
