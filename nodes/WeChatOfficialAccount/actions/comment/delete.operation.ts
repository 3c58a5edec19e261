import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { CallKind } from '../../../wechat/api';
import { articleProperties, userCommentIdProperty, writeOnComment } from './common';

export const description = updateDisplayOptions(
	{ show: { resource: ['comment'], operation: ['delete'] } },
	[...articleProperties, userCommentIdProperty],
);

/** Sends a write to WeChat (delete): refused under Retry On Fail (router). */
export const kind: CallKind = 'write';

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await writeOnComment.call(this, '/cgi-bin/comment/delete', itemIndex);
}
