import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { weChatApiRequest } from '../../transport';
import { draftLocator } from '../common.descriptions';
import { getMediaId } from '../utils';

export const description = updateDisplayOptions(
	{ show: { resource: ['draft'], operation: ['delete'] } },
	[{ ...draftLocator, description: 'The draft to delete. Deleted drafts cannot be restored.' }],
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const mediaId = getMediaId.call(this, itemIndex);
	await weChatApiRequest.call(
		this,
		'POST',
		'/cgi-bin/draft/delete',
		{ media_id: mediaId },
		{ write: true },
	);
	return { success: true, media_id: mediaId };
}
