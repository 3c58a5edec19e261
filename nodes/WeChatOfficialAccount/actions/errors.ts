import type { IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * A failure after WeChat accepted a publish job (wait timeout, failed status check). The job's
 * IDs travel with it so that a Continue On Fail item still carries the publish_id to check later.
 */
export class PublishJobError extends NodeOperationError {
	constructor(
		node: INode,
		message: string,
		readonly job: IDataObject,
		readonly errcode?: number,
	) {
		super(node, message);
		// NodeOperationError may swap a message naming ECONNRESET for generic retry advice.
		this.message = message;
	}
}
