import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { sleep, updateDisplayOptions } from 'n8n-workflow';

import { toPublishResult, type PublishResult } from '../../../wechat/events';
import { weChatApiRequest } from '../../transport';
import { draftLocator } from '../common.descriptions';
import { PublishJobError } from '../errors';
import { getMediaId } from '../utils';

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
				typeOptions: { minValue: 0 },
				default: 5,
				description:
					'With Wait for Result: how long to wait before the first status check. Later checks wait a little longer each time, up to four times this value.',
			},
			{
				displayName: 'Wait for Result',
				name: 'waitForResult',
				type: 'boolean',
				default: false,
				description:
					'Whether to wait until WeChat has finished publishing and output the final status and article URLs. Off: output the publish_id at once; the result arrives later through the WeChat Official Account Trigger or Publish → Get Status.',
			},
			{
				displayName: 'Wait Timeout (Seconds)',
				name: 'waitTimeout',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 600,
				description:
					'With Wait for Result: how long to wait at most. After that the node reports an error naming the publish_id; the job is not submitted again, so check it later with Publish → Get Status.',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['publish'], operation: ['submit'] } },
	properties,
);

interface SubmitOptions {
	waitForResult?: boolean;
	waitTimeout?: number;
	pollInterval?: number;
}

/** WeChat still publishing: poll again. */
const PUBLISHING = 1;
/** Each wait is this much longer than the one before, up to MAX_INTERVAL_FACTOR times the first. */
const INTERVAL_GROWTH = 1.2;
const MAX_INTERVAL_FACTOR = 4;

/**
 * Polls `freepublish/get` until the job leaves status 1 or the timeout passes. Only reads are
 * repeated here: the submit itself is never sent again.
 */
async function waitForPublishResult(
	this: IExecuteFunctions,
	job: IDataObject,
	options: SubmitOptions,
): Promise<PublishResult> {
	const publishId = job.publish_id as string;
	const timeoutSeconds = options.waitTimeout ?? 600;
	const firstInterval = (options.pollInterval ?? 5) * 1000;
	const deadline = Date.now() + timeoutSeconds * 1000;
	let interval = firstInterval;
	do {
		await sleep(Math.min(interval, Math.max(deadline - Date.now(), 0)));
		let result: PublishResult;
		try {
			result = toPublishResult(
				await weChatApiRequest.call(this, 'POST', '/cgi-bin/freepublish/get', {
					publish_id: publishId,
				}),
			);
		} catch (error) {
			// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- PublishJobError is a NodeOperationError that keeps the publish_id for Continue On Fail
			throw new PublishJobError(
				this.getNode(),
				`WeChat accepted publish_id ${publishId}, but checking its status failed: ${(error as Error).message.replace(/\.?$/, '.')} Check it later with Publish → Get Status; do not submit the draft again.`,
				job,
				(error as { errcode?: number }).errcode,
			);
		}
		if (result.publish_status !== PUBLISHING) return result;
		interval = Math.min(interval * INTERVAL_GROWTH, firstInterval * MAX_INTERVAL_FACTOR);
	} while (Date.now() < deadline);
	throw new PublishJobError(
		this.getNode(),
		`WeChat is still publishing publish_id ${publishId} after ${timeoutSeconds} s. It was submitted once and will not be resubmitted: check the result later with Publish → Get Status and this publish_id, or receive it with the WeChat Official Account Trigger.`,
		job,
	);
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const mediaId = getMediaId.call(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as SubmitOptions;
	const response = await weChatApiRequest.call(
		this,
		'POST',
		'/cgi-bin/freepublish/submit',
		{ media_id: mediaId },
		{ write: true },
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
