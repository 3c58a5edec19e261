import type { INodeProperties } from 'n8n-workflow';

import * as article from './article/Article.resource';
import * as comment from './comment/Comment.resource';
import * as draft from './draft/Draft.resource';
import * as image from './image/Image.resource';
import * as massMessage from './massMessage/MassMessage.resource';
import * as publish from './publish/Publish.resource';
import * as statistics from './statistics/Statistics.resource';

/** Version 1's parameters: the resource, then each resource's operations and their fields. */
export const versionProperties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Article',
				value: 'article',
				description: 'Render Markdown or HTML into WeChat-ready HTML for review (no credential needed)',
			},
			{
				name: 'Comment',
				value: 'comment',
				description: 'Reader comments on an article: list, reply, feature, delete, open and close',
			},
			{
				name: 'Draft',
				value: 'draft',
				description: 'Articles saved in the draft box, ready to publish',
			},
			{
				name: 'Image',
				value: 'image',
				description: 'Cover images and images for article content',
			},
			{
				name: 'Mass Message',
				value: 'massMessage',
				description: 'Mass send (群发) a draft to followers (it reaches their chats), preview it on a phone, check or delete a send',
			},
			{
				name: 'Publish',
				value: 'publish',
				description: 'Publishing drafts and the published articles',
			},
			{
				name: 'Statistic',
				value: 'statistics',
				description: 'Reads, shares and more of published and mass-sent articles (read-only)',
			},
		],
		default: 'publish',
	},
	...publish.description,
	...draft.description,
	...image.description,
	...article.description,
	...massMessage.description,
	...statistics.description,
	...comment.description,
];

function optionName(property: INodeProperties | undefined, value: string): string {
	const option = property?.options?.find((candidate) => 'value' in candidate && candidate.value === value);
	return option?.name ?? value;
}

/** "Publish → Submit": the resource and operation as the editor shows them, for messages. */
export function operationLabel(resource: string, operation: string): string {
	const resourceParameter = versionProperties.find((property) => property.name === 'resource');
	const operationParameter = versionProperties.find(
		(property) => property.name === 'operation' && property.displayOptions?.show?.resource?.includes(resource),
	);
	return `${optionName(resourceParameter, resource)} → ${optionName(operationParameter, operation)}`;
}
