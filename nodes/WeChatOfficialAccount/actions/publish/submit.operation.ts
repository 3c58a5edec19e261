import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { CallKind } from '../../../wechat/api';
import { weChatWrite } from '../../transport';
import { draftLocator } from '../common.descriptions';
import { getMediaId } from '../utils';
import {
	DEFAULT_POLL_INTERVAL_SECONDS,
	DEFAULT_WAIT_SECONDS,
	MAX_WAIT_SECONDS,
	MIN_POLL_INTERVAL_SECONDS,
	waitForPublishResult,
	type WaitOptions,
} from './waitForResult';

const properties: INodeProperties[] = [
	{
		...draftLocator,
		description:
			'The draft to publish. Its articles must have a title, content and cover (Cover Media ID).',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Poll Interval (Seconds)',
				name: 'pollInterval',
				type: 'number',
				typeOptions: { minValue: MIN_POLL_INTERVAL_SECONDS },
				default: DEFAULT_POLL_INTERVAL_SECONDS,
				description: `With Wait for Result: how long to wait before the first status check, at least ${MIN_POLL_INTERVAL_SECONDS} s (a smaller value, also from an expression, counts as ${MIN_POLL_INTERVAL_SECONDS} s). Later checks wait a little longer each time, up to four times this value.`,
			},
			{
				displayName: 'Wait for Result',
				name: 'waitForResult',
				type: 'boolean',
				default: false,
				description:
					'Whether to wait until WeChat has finished publishing and output the final status and article URLs. The execution holds its worker while it waits; for long or many publications use the WeChat Official Account Trigger instead. Off: output the publish_id at once; the result arrives later through the trigger or Publish → Get Status.',
			},
			{
				displayName: 'Wait Timeout (Seconds)',
				name: 'waitTimeout',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: MAX_WAIT_SECONDS },
				default: DEFAULT_WAIT_SECONDS,
				description: `With Wait for Result: how long to wait at most, up to ${MAX_WAIT_SECONDS} s (a larger value counts as ${MAX_WAIT_SECONDS}). After that, or when the execution is cancelled, the node reports an error naming the publish_id; the job is not submitted again, so check it later with Publish → Get Status.`,
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['publish'], operation: ['submit'] } },
	properties,
);

interface SubmitOptions extends WaitOptions {
	waitForResult?: boolean;
}

/** Sends a write to WeChat: refused under Retry On Fail (router). */
export const kind: CallKind = 'write';

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const mediaId = getMediaId.call(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as SubmitOptions;
	const response = await weChatWrite.call(
		this,
		'/cgi-bin/freepublish/submit',
		{ media_id: mediaId },
		{ expect: ['publish_id'] },
	);
	const job: IDataObject = { publish_id: String(response.publish_id) };
	if (response.msg_data_id !== undefined && response.msg_data_id !== null) {
		job.msg_data_id = String(response.msg_data_id);
	}
	job.media_id = mediaId;
	if (!options.waitForResult) return job;
	const result = await waitForPublishResult.call(this, job, options);
	return { ...job, ...result } as IDataObject;
}
