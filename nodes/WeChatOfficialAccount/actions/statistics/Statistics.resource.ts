import type { INodeProperties } from 'n8n-workflow';

import * as getArticleDetails from './getArticleDetails.operation';
import * as getDailyReads from './getDailyReads.operation';
import * as getDailyShares from './getDailyShares.operation';
import * as getSummary from './getSummary.operation';

export { getArticleDetails, getDailyReads, getDailyShares, getSummary };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['statistics'] } },
		options: [
			{
				name: 'Get Article Details',
				value: 'getArticleDetails',
				description:
					'Reads, shares, likes and comments of every article published or mass-sent in a date range, one item per article',
				action: 'Get article statistics',
			},
			{
				name: 'Get Daily Reads',
				value: 'getDailyReads',
				description: 'How many people read each article, one item per day and article',
				action: 'Get daily reads',
			},
			{
				name: 'Get Daily Shares',
				value: 'getDailyShares',
				description: 'How many people shared each article, one item per day and article',
				action: 'Get daily shares',
			},
			{
				name: 'Get Summary',
				value: 'getSummary',
				description: "The account's published content as a whole, one item per day",
				action: 'Get the account summary',
			},
		],
		default: 'getArticleDetails',
	},
	...getArticleDetails.description,
	...getDailyReads.description,
	...getDailyShares.description,
	...getSummary.description,
];
