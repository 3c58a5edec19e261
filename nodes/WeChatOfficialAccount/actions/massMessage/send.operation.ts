import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { type CallKind, WeChatApiError } from '../../../wechat/api';
import { weChatWrite } from '../../transport';
import { draftLocator } from '../common.descriptions';
import {
	DEFAULT_POLL_INTERVAL_SECONDS,
	DEFAULT_WAIT_SECONDS,
	MAX_WAIT_SECONDS,
	MIN_POLL_INTERVAL_SECONDS,
	waitForJob,
	type WaitOptions,
} from '../publish/waitForResult';
import { getMediaId } from '../utils';
import { deriveClientMsgId, readClientMsgId } from './clientMsgId';
import { readMassSendStatus } from './get.operation';

const properties: INodeProperties[] = [
	{
		displayName:
			'Send reaches real followers and uses the day\'s mass-send quota. In a manual execution (Execute step, Execute workflow) it refuses to send unless the option Send From Editor is on: test with Preview. A re-run never sends twice: every send carries a clientmsgid.',
		name: 'sendNotice',
		type: 'notice',
		default: '',
	},
	{
		...draftLocator,
		description: 'The draft to mass-send (its media_id from Draft → Create). Once sent, it leaves the draft box.',
	},
	{
		displayName: 'Recipients',
		name: 'recipients',
		type: 'options',
		options: [
			{ name: 'All Followers', value: 'all', description: 'Every follower of the account' },
			{ name: 'Followers with a Tag', value: 'tag', description: 'The followers with one tag' },
		],
		default: 'all',
		description: 'Who receives the mass message',
	},
	{
		displayName: 'Tag',
		name: 'tagId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The tag whose followers receive it. Pick it from the list (with its follower count) or enter its ID.',
		displayOptions: { show: { recipients: ['tag'] } },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a tag...',
				typeOptions: { searchListMethod: 'searchTags', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 100',
				validation: [{ type: 'regex', properties: { regex: '^\\d+$', errorMessage: 'A tag ID is a whole number' } }],
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Client Msg ID',
				name: 'clientMsgId',
				type: 'string',
				default: '',
				description:
					'WeChat refuses a second send with the same clientmsgid within 24 hours and names the earlier send instead (the node outputs alreadySent). Empty: the node derives one from the draft, the recipients and Send Even If Reprint, so re-running the same send is always safe. Set your own (up to 64 bytes) to send the same draft again on purpose.',
			},
			{
				displayName: 'Poll Interval (Seconds)',
				name: 'pollInterval',
				type: 'number',
				typeOptions: { minValue: MIN_POLL_INTERVAL_SECONDS },
				default: DEFAULT_POLL_INTERVAL_SECONDS,
				description: `With Wait for Result: how long to wait before the first status check, at least ${MIN_POLL_INTERVAL_SECONDS} s. Later checks wait a little longer each time, up to four times this value.`,
			},
			{
				displayName: 'Send Even If Reprint',
				name: 'sendIgnoreReprint',
				type: 'boolean',
				default: false,
				description:
					'Whether to send when WeChat\'s originality check judges an article a reprint whose original allows reprints (WeChat then sends the original\'s content, marked as a reprint). Off: such a send stops (err(30003)).',
			},
			{
				displayName: 'Send From Editor',
				name: 'sendFromEditor',
				type: 'boolean',
				default: false,
				description:
					'Whether a manual execution from the editor may really mass-send. Off: it refuses before any call, so pressing Execute step on an unfinished workflow never reaches followers. Production executions (triggers, schedules, webhooks) always send.',
			},
			{
				displayName: 'Wait for Result',
				name: 'waitForResult',
				type: 'boolean',
				default: false,
				description:
					'Whether to wait until WeChat has finished sending and output msg_status and status. A send to many followers can take long, and on accounts with API mass-send protection (API群发保护) a send to all waits until an administrator confirms it on the phone (it fails after 30 minutes without an answer): the WeChat Official Account Trigger\'s Sent / Not Sent outputs are the better way for those.',
			},
			{
				displayName: 'Wait Timeout (Seconds)',
				name: 'waitTimeout',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: MAX_WAIT_SECONDS },
				default: DEFAULT_WAIT_SECONDS,
				description: `With Wait for Result: how long to wait at most, up to ${MAX_WAIT_SECONDS} s. After that, or when the execution is cancelled, the node reports an error naming the msg_id; nothing is sent again.`,
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['massMessage'], operation: ['send'] } }, properties);

interface SendOptions extends WaitOptions {
	clientMsgId?: unknown;
	sendIgnoreReprint?: boolean;
	sendFromEditor?: boolean;
	waitForResult?: boolean;
}

/** Sends a write to WeChat: refused under Retry On Fail (router). */
export const kind: CallKind = 'write';

/** `filter` of sendall and the audience's name in the derived clientmsgid. */
function readAudience(this: IExecuteFunctions, itemIndex: number): { filter: IDataObject; audience: string } {
	const recipients = this.getNodeParameter('recipients', itemIndex, 'all') as unknown;
	if (recipients === 'all') return { filter: { is_to_all: true }, audience: 'all' };
	if (recipients !== 'tag') {
		throw new NodeOperationError(this.getNode(), `Recipients must be "all" or "tag", not "${String(recipients)}"`, { itemIndex });
	}
	const value = String(this.getNodeParameter('tagId', itemIndex, '', { extractValue: true }) ?? '').trim();
	if (!/^\d+$/.test(value)) {
		throw new NodeOperationError(this.getNode(), `The tag ID must be a whole number, not "${value}"`, {
			description: 'Pick the tag from the list, or enter its ID (tags/get lists them)',
			itemIndex,
		});
	}
	return { filter: { is_to_all: false, tag_id: Number(value) }, audience: `tag:${value}` };
}

/** A send whose answer never came: the clientmsgid makes running it again safe, so say so. */
function withSafeRerun(error: WeChatApiError, clientMsgId: string): WeChatApiError {
	return new WeChatApiError(
		`${error.message} Running it again is safe as long as the Client Msg ID stays the same (the derived one does): this send carried clientmsgid "${clientMsgId}", and WeChat answers a repeat within 24 hours with the earlier msg_id instead of sending (the node then outputs alreadySent: true).`,
		{ ...error, outcomeUnknown: true },
	);
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const options = this.getNodeParameter('options', itemIndex, {}) as SendOptions;
	if (this.getMode() === 'manual' && options.sendFromEditor !== true) {
		throw new NodeOperationError(this.getNode(), 'Mass Message → Send does not send from a manual execution: nothing was sent', {
			description:
				'A mass send reaches every follower and cannot be undone. To check the article, use Mass Message → Preview (to a reviewer\'s phone). To really send from the editor, turn on the option Send From Editor; production executions (triggers, schedules, webhooks) send as usual.',
			itemIndex,
		});
	}
	const mediaId = getMediaId.call(this, itemIndex);
	const { filter, audience } = readAudience.call(this, itemIndex);
	const sendIgnoreReprint = options.sendIgnoreReprint === true;
	const clientMsgId =
		readClientMsgId(this, options.clientMsgId, itemIndex) ?? deriveClientMsgId(mediaId, audience, sendIgnoreReprint);
	const body = {
		filter,
		mpnews: { media_id: mediaId },
		msgtype: 'mpnews',
		send_ignore_reprint: sendIgnoreReprint ? 1 : 0,
		clientmsgid: clientMsgId,
	};
	const sent = await weChatWrite.call(this, '/cgi-bin/message/mass/sendall', body, { expect: ['msg_id'] }).then(
		(response) => ({ response, alreadySent: false }),
		(error: unknown) => {
			if (error instanceof WeChatApiError && error.errcode === 45065 && error.msgId) {
				return { response: { msg_id: error.msgId } as IDataObject, alreadySent: true };
			}
			throw error instanceof WeChatApiError && error.outcomeUnknown ? withSafeRerun(error, clientMsgId) : error;
		},
	);
	const job: IDataObject = { msg_id: String(sent.response.msg_id) };
	if (sent.response.msg_data_id !== undefined && sent.response.msg_data_id !== null) {
		job.msg_data_id = String(sent.response.msg_data_id);
	}
	Object.assign(job, { media_id: mediaId, clientmsgid: clientMsgId, alreadySent: sent.alreadySent });
	if (!options.waitForResult) return job;
	const msgId = job.msg_id as string;
	const result = await waitForJob(this, job, options, {
		idName: 'msg_id',
		id: msgId,
		lookUp: 'Mass Message → Get Status',
		busy: 'sending',
		once: 'sent once and will not be sent again',
		again: 'send the draft again',
		check: async () => await readMassSendStatus.call(this, msgId),
		finished: (status) => status.status !== 'sending',
	});
	return { ...job, msg_status: result.msg_status, status: result.status };
}
