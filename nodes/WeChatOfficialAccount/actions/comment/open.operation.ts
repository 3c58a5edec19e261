import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { CallKind } from '../../../wechat/api';
import { weChatWrite } from '../../transport';
import { articleProperties, commentTarget } from './common';

export const description = updateDisplayOptions(
	{ show: { resource: ['comment'], operation: ['open'] } },
	articleProperties,
);

/** Sends a write to WeChat (comment/open): refused under Retry On Fail (router). */
export const kind: CallKind = 'write';

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const target = commentTarget.call(this, itemIndex);
	await weChatWrite.call(this, '/cgi-bin/comment/open', target.body);
	return { success: true, ...target.item, comments: 'open' };
}
