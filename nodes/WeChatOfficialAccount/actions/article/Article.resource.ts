import type { INodeProperties } from 'n8n-workflow';

import * as render from './render.operation';

export { render };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['article'] } },
		options: [
			{
				name: 'Render',
				value: 'render',
				description:
					'Turn Markdown or HTML into WeChat-ready HTML (inline styles, no scripts, links as numbered references) to review before creating a draft. No WeChat call, no credential needed.',
				action: 'Render an article for review',
			},
		],
		default: 'render',
	},
	...render.description,
];
