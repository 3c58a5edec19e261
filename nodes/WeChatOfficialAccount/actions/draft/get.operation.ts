import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { CallKind } from '../../../wechat/api';
import { weChatRead } from '../../transport';
import { draftLocator } from '../common.descriptions';
import { getMediaId } from '../utils';

export const description = updateDisplayOptions(
	{ show: { resource: ['draft'], operation: ['get'] } },
	[draftLocator] as INodeProperties[],
);

/** Only reads WeChat. */
export const kind: CallKind = 'read';

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const mediaId = getMediaId.call(this, itemIndex);
	const response = await weChatRead.call(this, 'POST', '/cgi-bin/draft/get', {
		media_id: mediaId,
	});
	return { media_id: mediaId, ...response };
}
