import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { toPublishResult, type PublishResult } from '../../../wechat/events';
import { weChatRead } from '../../transport';
import { publishJobError } from '../errors';

export interface WaitOptions {
	waitTimeout?: unknown;
	pollInterval?: unknown;
}

/** Polls are at least this far apart, whatever the option or an expression gives. */
export const MIN_POLL_INTERVAL_SECONDS = 1;
/** The longest Wait Timeout: a waiting execution holds its worker the whole time. */
export const MAX_WAIT_SECONDS = 1800;
export const DEFAULT_POLL_INTERVAL_SECONDS = 5;
export const DEFAULT_WAIT_SECONDS = 600;

/** WeChat still publishing: poll again. */
const PUBLISHING = 1;
/** Each wait is this much longer than the one before, up to MAX_INTERVAL_FACTOR times the first. */
const INTERVAL_GROWTH = 1.2;
const MAX_INTERVAL_FACTOR = 4;
/** A cancelled execution is noticed within this long, even during a long wait. */
const CANCEL_CHECK_MS = 1000;

function finiteNumber(value: unknown, fallback: number): number {
	const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
	return Number.isFinite(number) ? number : fallback;
}

/** The poll interval and timeout in force: the options, held to their bounds. */
export function waitLimits(options: WaitOptions): { pollIntervalSeconds: number; timeoutSeconds: number } {
	return {
		pollIntervalSeconds: Math.max(
			finiteNumber(options.pollInterval, DEFAULT_POLL_INTERVAL_SECONDS),
			MIN_POLL_INTERVAL_SECONDS,
		),
		timeoutSeconds: Math.min(Math.max(finiteNumber(options.waitTimeout, DEFAULT_WAIT_SECONDS), 0), MAX_WAIT_SECONDS),
	};
}

/** Sleeps `ms`, in slices, and returns early (true) once `signal` is aborted. */
async function sleepUnlessCancelled(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
	let left = ms;
	while (left > 0 && signal?.aborted !== true) {
		const slice = Math.min(left, CANCEL_CHECK_MS);
		await sleep(slice);
		left -= slice;
	}
	return signal?.aborted === true;
}

/** A job WeChat accepted and how to wait for its end: the words of the messages, and the poll. */
export interface JobWait<Result> {
	/** The ID's name and value: `publish_id`, `2247503051`. */
	idName: string;
	id: string;
	/** The operation that looks the job up later: `Publish → Get Status`. */
	lookUp: string;
	/** `publishing`, `sending`. */
	busy: string;
	/** `submitted once and will not be resubmitted`. */
	once: string;
	/** `submit the draft again`. */
	again: string;
	/** One status check: a read, repeated here. */
	check: () => Promise<Result>;
	finished: (result: Result) => boolean;
}

/**
 * Polls until the job ends, the timeout passes or the execution is cancelled. Only reads are
 * repeated here: the write that started the job is never sent again. Failures carry the job's
 * IDs (publishJobError), so a Continue On Fail item still names them.
 */
export async function waitForJob<Result>(
	context: IExecuteFunctions,
	job: IDataObject,
	options: WaitOptions,
	wait: JobWait<Result>,
): Promise<Result> {
	const subject = `${wait.idName} ${wait.id}`;
	const { pollIntervalSeconds, timeoutSeconds } = waitLimits(options);
	const signal = context.getExecutionCancelSignal?.();
	const firstInterval = pollIntervalSeconds * 1000;
	const deadline = Date.now() + timeoutSeconds * 1000;
	let interval = firstInterval;
	do {
		const cancelled = await sleepUnlessCancelled(Math.min(interval, Math.max(deadline - Date.now(), 0)), signal);
		if (cancelled) {
			throw publishJobError(
				context.getNode(),
				`The execution was cancelled while waiting for ${subject}. It was ${wait.once}: check the result later with ${wait.lookUp} and this ${wait.idName}.`,
				job,
			);
		}
		const check = await wait.check().then(
			(result) => ({ result }),
			(error: unknown) => ({ error: error as Error & { errcode?: number } }),
		);
		if ('error' in check) {
			throw publishJobError(
				context.getNode(),
				`WeChat accepted ${subject}, but checking its status failed: ${check.error.message.replace(/\.?$/, '.')} Check it later with ${wait.lookUp}; do not ${wait.again}.`,
				job,
				check.error.errcode,
			);
		}
		if (wait.finished(check.result)) return check.result;
		interval = Math.min(interval * INTERVAL_GROWTH, firstInterval * MAX_INTERVAL_FACTOR);
	} while (Date.now() < deadline);
	throw publishJobError(
		context.getNode(),
		`WeChat is still ${wait.busy} ${subject} after ${timeoutSeconds} s. It was ${wait.once}: check the result later with ${wait.lookUp} and this ${wait.idName}, or receive it with the WeChat Official Account Trigger.`,
		job,
	);
}

/** Polls `freepublish/get` until the publish job leaves status 1 (see waitForJob). */
export async function waitForPublishResult(
	this: IExecuteFunctions,
	job: IDataObject,
	options: WaitOptions,
): Promise<PublishResult> {
	const publishId = job.publish_id as string;
	return await waitForJob(this, job, options, {
		idName: 'publish_id',
		id: publishId,
		lookUp: 'Publish → Get Status',
		busy: 'publishing',
		once: 'submitted once and will not be resubmitted',
		again: 'submit the draft again',
		check: async () => toPublishResult(await weChatRead.call(this, 'POST', '/cgi-bin/freepublish/get', { publish_id: publishId })),
		finished: (result) => result.publish_status !== PUBLISHING,
	});
}
