import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { CallKind } from '../../../wechat/api';
import { weChatWrite } from '../../transport';
import { articleProperties, commentTarget, userCommentId, userCommentIdProperty } from './common';

export const description = updateDisplayOptions(
	{ show: { resource: ['comment'], operation: ['reply'] } },
	[
		...articleProperties,
		userCommentIdProperty,
		{
			displayName: 'Content',
			name: 'content',
			type: 'string',
			typeOptions: { rows: 3 },
			required: true,
			default: '',
			description: "The author's reply, shown under the comment. A comment takes one reply: delete it to reply again.",
		},
	],
);

/** Sends a write to WeChat (comment/reply/add): refused under Retry On Fail (router). */
export const kind: CallKind = 'write';

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const target = commentTarget.call(this, itemIndex);
	const commentId = userCommentId.call(this, itemIndex);
	const content = String(this.getNodeParameter('content', itemIndex, ''));
	if (content.trim() === '') {
		throw new NodeOperationError(this.getNode(), 'The reply is empty', {
			description: 'Write the reply in Content',
			itemIndex,
		});
	}
	await weChatWrite.call(this, '/cgi-bin/comment/reply/add', { ...target.body, user_comment_id: commentId, content });
	return { success: true, ...target.item, user_comment_id: String(commentId), content };
}
