import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * n8n's Retry On Fail re-runs the whole node, every item, after any error
 * (https://docs.n8n.io/flow-logic/error-handling/): a write that already reached WeChat would be
 * sent again. Writes refuse to run with it on (this error, before any call); reads are fine.
 */
export function writeRefusedUnderRetryOnFail(this: IExecuteFunctions, what: string): NodeOperationError | undefined {
	if (this.getNode().retryOnFail !== true) return undefined;
	return new NodeOperationError(
		this.getNode(),
		`${what} writes to WeChat, and this node has Retry On Fail on: n8n would run the whole node again after an error and send the write again (a second publish, a duplicate draft or upload). Nothing was sent.`,
		{
			description:
				"Turn off Retry On Fail in the node's Settings. The node already retries what is safe to retry (reads, and writes WeChat provably did not receive). To handle failures, set On Error to Continue (using error output) and branch on outcomeUnknown; after a Submit, check the result with Publish → Get Status or the WeChat Official Account Trigger instead of submitting again.",
		},
	);
}
