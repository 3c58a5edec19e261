import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { weChatApiRequest } from '../../transport';

/** Count takes no parameters. */
export const description: INodeProperties[] = [];

export async function execute(this: IExecuteFunctions): Promise<IDataObject> {
	const response = await weChatApiRequest.call(this, 'GET', '/cgi-bin/draft/count');
	return { total_count: Number(response.total_count ?? 0) };
}
