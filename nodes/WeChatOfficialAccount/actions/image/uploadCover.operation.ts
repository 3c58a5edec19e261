import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { CallKind } from '../../../wechat/api';
import { weChatUploadRequest } from '../../transport';
import { binaryPropertyParameter, COVER_IMAGE_RULES, readImage } from './imageFile';

export const description = updateDisplayOptions(
	{ show: { resource: ['image'], operation: ['uploadCover'] } },
	[binaryPropertyParameter],
);

/** Sends a write to WeChat: refused under Retry On Fail (router). */
export const kind: CallKind = 'write';

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const file = await readImage.call(this, itemIndex, COVER_IMAGE_RULES);
	const response = await weChatUploadRequest.call(this, '/cgi-bin/material/add_material', file, {
		query: { type: 'image' },
		expect: ['media_id', 'url'],
	});
	return { media_id: String(response.media_id), url: response.url };
}
