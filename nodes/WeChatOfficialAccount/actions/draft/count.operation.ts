import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { CallKind } from '../../../wechat/api';
import { weChatRead } from '../../transport';

/** Count takes no parameters. */
export const description: INodeProperties[] = [];

/** Only reads WeChat. */
export const kind: CallKind = 'read';

export async function execute(this: IExecuteFunctions): Promise<IDataObject> {
	const response = await weChatRead.call(this, 'GET', '/cgi-bin/draft/count');
	return { total_count: Number(response.total_count ?? 0) };
}
