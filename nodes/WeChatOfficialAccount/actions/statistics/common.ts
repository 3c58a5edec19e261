import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	isNotified,
	splitMsgid,
	splitRange,
	StatisticsRangeError,
	type StatisticsEndpoint,
	toDateString,
	WINDOW_DAYS,
} from '../../../wechat/statistics';
import { weChatRead } from '../../transport';

export const dateProperties: INodeProperties[] = [
	{
		displayName: 'Start Date',
		name: 'startDate',
		type: 'dateTime',
		required: true,
		default: '',
		description: 'The first day to report (Beijing time). WeChat keeps this data from 2025-11-01 on.',
	},
	{
		displayName: 'End Date',
		name: 'endDate',
		type: 'dateTime',
		required: true,
		default: '',
		description:
			'The last day to report, at most yesterday (Beijing time): WeChat serves statistics up to yesterday. The node asks WeChat one day at a time.',
	},
];

export const simplifyProperty: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description: 'Whether to return a simplified version of the response instead of the raw data',
};

/** One entry of a WeChat statistics `list`, with the `is_delay` of the answer it came in. */
export interface StatisticsEntry {
	entry: IDataObject;
	is_delay: boolean;
}

function dateParameter(this: IExecuteFunctions, name: 'startDate' | 'endDate', itemIndex: number): string {
	const value = this.getNodeParameter(name, itemIndex, '') as unknown;
	const date = toDateString(value);
	if (date === undefined) {
		throw new NodeOperationError(this.getNode(), `${name === 'startDate' ? 'Start Date' : 'End Date'} is not a date: "${String(value)}"`, {
			description: 'Pick a date, or give one as YYYY-MM-DD (an expression such as {{ $today.minus({ days: 7 }).toFormat(\'yyyy-MM-dd\') }} works too)',
			itemIndex,
		});
	}
	return date;
}

/**
 * Reads a statistics endpoint over Start Date to End Date, one allowed window per call, and says
 * in an execution hint when the range took several calls. Every entry keeps its answer's `is_delay`.
 */
export async function readStatistics(
	this: IExecuteFunctions,
	endpoint: StatisticsEndpoint,
	itemIndex: number,
): Promise<StatisticsEntry[]> {
	const start = dateParameter.call(this, 'startDate', itemIndex);
	const end = dateParameter.call(this, 'endDate', itemIndex);
	let windows;
	try {
		windows = splitRange(start, end, WINDOW_DAYS[endpoint], Date.now());
	} catch (error) {
		if (error instanceof StatisticsRangeError) {
			throw new NodeOperationError(this.getNode(), error.message, { description: error.hint, itemIndex });
		}
		throw new NodeOperationError(this.getNode(), error as Error, { itemIndex });
	}
	if (windows.length > 1) {
		this.addExecutionHints({
			message: `${start} to ${end} was asked from WeChat in ${windows.length} requests of ${WINDOW_DAYS[endpoint]} day${WINDOW_DAYS[endpoint] === 1 ? '' : 's'} (the longest range ${endpoint.slice('/datacube/'.length)} accepts)`,
			location: 'outputPane',
		});
	}
	const entries: StatisticsEntry[] = [];
	for (const window of windows) {
		const answer = await weChatRead.call(this, 'POST', endpoint, { ...window });
		const isDelay = answer.is_delay === true;
		for (const entry of (answer.list as IDataObject[] | undefined) ?? []) entries.push({ entry, is_delay: isDelay });
	}
	return entries;
}

/** The names every per-article item starts with: the article as the comment operations take it. */
export function articleFields(entry: IDataObject): IDataObject {
	const { msg_data_id, articleNumber } = splitMsgid(entry.msgid);
	const fields: IDataObject = { msg_data_id, articleNumber, msgid: String(entry.msgid ?? '') };
	if (entry.publish_type !== undefined) fields.notified = isNotified(entry.publish_type);
	return fields;
}

/** The named counts of a `detail` object as numbers (absent ones left out). */
export function counts(detail: IDataObject | undefined, names: readonly string[]): IDataObject {
	const result: IDataObject = {};
	for (const name of names) {
		const value = detail?.[name];
		if (value !== undefined && value !== null && value !== '') result[name] = Number(value);
	}
	return result;
}

/** The headline numbers of the Simplify option. */
export const HEADLINE_COUNTS = [
	'read_user',
	'share_user',
	'zaikan_user',
	'like_user',
	'comment_count',
	'collection_user',
] as const;

export function simplifyWanted(this: IExecuteFunctions, itemIndex: number): boolean {
	return this.getNodeParameter('simplify', itemIndex, true) as boolean;
}
