import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { CallKind } from '../../../wechat/api';
import { COMMENT_PAGE_SIZE, COMMENT_TYPES, type CommentType } from '../../../wechat/comments';
import { weChatRead } from '../../transport';
import { returnAllProperties } from '../common.descriptions';
import { articleProperties, commentTarget } from './common';

export const description = updateDisplayOptions(
	{ show: { resource: ['comment'], operation: ['getMany'] } },
	[
		...articleProperties,
		{
			displayName: 'Comment Type',
			name: 'commentType',
			type: 'options',
			options: [
				{ name: 'All', value: 'all', description: 'Normal and featured comments' },
				{ name: 'Normal', value: 'normal', description: 'Comments not featured' },
				{ name: 'Featured', value: 'featured', description: 'Featured comments (精选), shown to every reader' },
			],
			default: 'all',
		},
		...returnAllProperties,
	],
);

/** Only reads WeChat. */
export const kind: CallKind = 'read';

/** One item per comment, read in pages of COMMENT_PAGE_SIZE (WeChat refuses 50 or more). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const target = commentTarget.call(this, itemIndex);
	const commentType = this.getNodeParameter('commentType', itemIndex, 'all') as CommentType;
	const type = COMMENT_TYPES[commentType] as number | undefined;
	if (type === undefined) {
		throw new NodeOperationError(this.getNode(), `Comment Type must be all, normal or featured, not "${String(commentType)}"`, { itemIndex });
	}
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? Infinity : Number(this.getNodeParameter('limit', itemIndex, 50));
	const comments: IDataObject[] = [];
	while (comments.length < limit) {
		const page = await weChatRead.call(this, 'POST', '/cgi-bin/comment/list', {
			...target.body,
			begin: comments.length,
			count: Math.min(COMMENT_PAGE_SIZE, limit - comments.length),
			type,
		});
		const pageComments = (page.comment as IDataObject[] | undefined) ?? [];
		for (const comment of pageComments) {
			comments.push({ ...target.item, ...comment, user_comment_id: String(comment.user_comment_id ?? '') });
		}
		if (pageComments.length === 0 || comments.length >= Number(page.total ?? 0)) break;
	}
	return comments.slice(0, limit);
}
