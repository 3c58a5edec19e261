import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { CallKind } from '../../../wechat/api';
import { toMassSendStatus } from '../../../wechat/massSend';
import { weChatRead } from '../../transport';
import { getRequiredString } from '../utils';

/** The msg_id of a mass send, for Get Status and Delete. */
export const msgIdParameter: INodeProperties = {
	displayName: 'Msg ID',
	name: 'msgId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 1000000001',
	description: 'The msg_id returned by Mass Message → Send (or the trigger\'s Sent / Not Sent item)',
};

export const MSG_ID_HINT = 'Enter the msg_id returned by Mass Message → Send';

export const description = updateDisplayOptions({ show: { resource: ['massMessage'], operation: ['get'] } }, [msgIdParameter]);

/** Only reads WeChat. */
export const kind: CallKind = 'read';

/** `message/mass/get`: msg_id kept as a string, whatever its size. */
export async function readMassSendStatus(this: IExecuteFunctions, msgId: string): Promise<IDataObject> {
	return toMassSendStatus(await weChatRead.call(this, 'POST', '/cgi-bin/message/mass/get', { msg_id: msgId }));
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const msgId = getRequiredString.call(this, 'msgId', itemIndex, MSG_ID_HINT);
	return await readMassSendStatus.call(this, msgId);
}
