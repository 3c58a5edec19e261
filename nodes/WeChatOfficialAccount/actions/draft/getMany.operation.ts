import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { CallKind } from '../../../wechat/api';
import { getManyProperties } from '../common.descriptions';
import { getManyPaged } from '../utils';

export const description = updateDisplayOptions(
	{ show: { resource: ['draft'], operation: ['getMany'] } },
	getManyProperties,
);

/** Only reads WeChat. */
export const kind: CallKind = 'read';

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	return await getManyPaged.call(this, '/cgi-bin/draft/batchget', itemIndex);
}
