import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { CallKind } from '../../../wechat/api';
import { weChatWrite } from '../../transport';
import { draftLocator } from '../common.descriptions';
import { getMediaId } from '../utils';

export const description = updateDisplayOptions(
	{ show: { resource: ['draft'], operation: ['delete'] } },
	[{ ...draftLocator, description: 'The draft to delete. Deleted drafts cannot be restored.' }],
);

/** Sends a write to WeChat: refused under Retry On Fail (router). */
export const kind: CallKind = 'write';

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const mediaId = getMediaId.call(this, itemIndex);
	await weChatWrite.call(this, '/cgi-bin/draft/delete', { media_id: mediaId });
	return { success: true, media_id: mediaId };
}
