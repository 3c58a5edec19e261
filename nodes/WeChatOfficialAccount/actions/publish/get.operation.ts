import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { CallKind } from '../../../wechat/api';
import { toPublishResult } from '../../../wechat/events';
import { weChatRead } from '../../transport';
import { getRequiredString } from '../utils';

const properties: INodeProperties[] = [
	{
		displayName: 'Publish ID',
		name: 'publishId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 2247503051',
		description: 'The publish_id returned by Publish → Submit',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['publish'], operation: ['get'] } },
	properties,
);

/** Only reads WeChat. */
export const kind: CallKind = 'read';

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const publishId = getRequiredString.call(
		this,
		'publishId',
		itemIndex,
		'Enter the publish_id returned by Publish → Submit',
	);
	const response = await weChatRead.call(this, 'POST', '/cgi-bin/freepublish/get', {
		publish_id: publishId,
	});
	return toPublishResult(response) as IDataObject;
}
