import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CommentArgumentError, commentIndex, numericId } from '../../../wechat/comments';
import { weChatWrite } from '../../transport';

export const articleProperties: INodeProperties[] = [
	{
		displayName: 'Msg Data ID',
		name: 'msgDataId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 2247490098',
		description:
			'The msg_data_id of the mass send or publication, as its output and the statistics items carry it',
	},
	{
		displayName: 'Article Number',
		name: 'articleNumber',
		type: 'number',
		typeOptions: { minValue: 1 },
		required: true,
		default: 1,
		description: 'Which article of it, counting from 1 (the first article), as the statistics items carry it',
	},
];

export const userCommentIdProperty: INodeProperties = {
	displayName: 'User Comment ID',
	name: 'userCommentId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 1',
	description: 'The user_comment_id of the comment, from Comment → Get Many',
};

/** The article a comment operation names: WeChat's body fields and the item's own names. */
export interface CommentTarget {
	body: { msg_data_id: number; index: number };
	item: { msg_data_id: string; articleNumber: number };
}

/** Runs `read`, turning a bad argument into an n8n error on the item. */
function argument<T>(context: IExecuteFunctions, itemIndex: number, read: () => T): T {
	try {
		return read();
	} catch (error) {
		if (error instanceof CommentArgumentError) {
			throw new NodeOperationError(context.getNode(), error.message, { description: error.hint, itemIndex });
		}
		throw new NodeOperationError(context.getNode(), error as Error, { itemIndex });
	}
}

export function commentTarget(this: IExecuteFunctions, itemIndex: number): CommentTarget {
	return argument(this, itemIndex, () => {
		const msgDataId = numericId(
			this.getNodeParameter('msgDataId', itemIndex, ''),
			'Msg Data ID',
			'Map msg_data_id from the mass send, the publish output or a statistics item',
		);
		const articleNumber = Number(this.getNodeParameter('articleNumber', itemIndex, 1));
		const index = commentIndex(articleNumber);
		return { body: { msg_data_id: msgDataId, index }, item: { msg_data_id: String(msgDataId), articleNumber } };
	});
}

export function userCommentId(this: IExecuteFunctions, itemIndex: number): number {
	return argument(this, itemIndex, () =>
		numericId(this.getNodeParameter('userCommentId', itemIndex, ''), 'User Comment ID', 'Map user_comment_id from Comment → Get Many'),
	);
}

/** A comment write on one comment (feature, unfeature, delete, delete reply): sent once. */
export async function writeOnComment(this: IExecuteFunctions, endpoint: string, itemIndex: number): Promise<IDataObject> {
	const target = commentTarget.call(this, itemIndex);
	const commentId = userCommentId.call(this, itemIndex);
	await weChatWrite.call(this, endpoint, { ...target.body, user_comment_id: commentId });
	return { success: true, ...target.item, user_comment_id: String(commentId) };
}
