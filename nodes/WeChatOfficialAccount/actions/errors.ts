import type { IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * A failure after WeChat accepted a publish job (wait timeout, failed status check, cancelled
 * wait). The job's IDs travel in the error's context, so that a Continue On Fail item still
 * carries the publish_id to check later.
 */
export function publishJobError(node: INode, message: string, job: IDataObject, errcode?: number): NodeOperationError {
	const error = new NodeOperationError(node, message);
	// NodeOperationError may swap a message naming ECONNRESET for generic retry advice.
	error.message = message;
	error.context.publishJob = job;
	if (errcode !== undefined) error.context.errcode = errcode;
	return error;
}

/** The publish job an error carries (see publishJobError), or nothing. */
export function publishJobOf(error: unknown): IDataObject | undefined {
	if (!(error instanceof NodeOperationError)) return undefined;
	const job = error.context.publishJob;
	return typeof job === 'object' && job !== null ? (job as IDataObject) : undefined;
}
