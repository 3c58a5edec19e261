import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { CallKind } from '../../../wechat/api';
import { weChatWrite } from '../../transport';
import { ALL_ARTICLES, articleIndex } from '../publish/delete.operation';
import { getRequiredString } from '../utils';
import { MSG_ID_HINT, msgIdParameter } from './get.operation';

const properties: INodeProperties[] = [
	msgIdParameter,
	{
		displayName: 'Delete',
		name: 'deleteScope',
		type: 'options',
		options: [
			{ name: 'One Article', value: 'one', description: 'Delete the article at Article Number; the others stay' },
			{ name: 'All Articles', value: 'all', description: 'Delete every article of the mass message' },
		],
		default: 'one',
		required: true,
		description:
			'Which articles of the mass message to delete. Deleted articles cannot be restored; followers who opened one see that it was deleted.',
	},
	{
		displayName: 'Article Number',
		name: 'articleNumber',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 1,
		required: true,
		description: 'Which article of the mass message to delete, counting from 1 (the first article)',
		displayOptions: { show: { deleteScope: ['one'] } },
	},
];

export const description = updateDisplayOptions({ show: { resource: ['massMessage'], operation: ['delete'] } }, properties);

/** Sends a write to WeChat: refused under Retry On Fail (router). */
export const kind: CallKind = 'write';

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const msgId = getRequiredString.call(this, 'msgId', itemIndex, MSG_ID_HINT);
	const index = articleIndex.call(this, itemIndex);
	await weChatWrite.call(this, '/cgi-bin/message/mass/delete', { msg_id: msgId, article_idx: index });
	return { success: true, msg_id: msgId, deleted: index === ALL_ARTICLES ? 'all' : index };
}
