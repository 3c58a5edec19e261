import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, type JsonObject } from 'n8n-workflow';

import { type CallKind, WeChatApiError } from '../../wechat/api';
import { writeRefusedUnderRetryOnFail } from '../transport/retryOnFail';
import { operationLabel } from './versionDescription';
import * as article from './article/Article.resource';
import * as draft from './draft/Draft.resource';
import { publishJobOf } from './errors';
import * as image from './image/Image.resource';
import * as massMessage from './massMessage/MassMessage.resource';
import type { NodeMap, WeChatOfficialAccountType } from './node.type';
import * as publish from './publish/Publish.resource';

type OperationExecute = (
	this: IExecuteFunctions,
	itemIndex: number,
) => Promise<IDataObject | IDataObject[]>;

/** An operation module: its `kind` says whether it sends a write to WeChat. */
interface Operation {
	execute: OperationExecute;
	kind: CallKind;
}

const operations: { [R in keyof NodeMap]: Record<NodeMap[R], Operation> } = {
	publish,
	draft,
	image,
	article,
	massMessage,
};

function operationFor(this: IExecuteFunctions, selected: WeChatOfficialAccountType): Operation {
	const resource = operations[selected.resource] as Record<string, Operation> | undefined;
	const operation = resource?.[selected.operation];
	if (!operation) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${selected.operation}" of "${selected.resource}" is not supported`,
		);
	}
	return operation;
}

/**
 * The item a failed input item becomes under Continue On Fail: `{ error, errcode, outcomeUnknown }`
 * (plus the job's IDs after a submit). `outcomeUnknown` is true when a write may have reached
 * WeChat without an answer, so a workflow can branch on it. Under "Continue (using error output)" n8n routes an item to the Error
 * output only when its JSON holds nothing but `error`, `message` and `details` (and setting the
 * item's `error` would make n8n replace the JSON with the message alone), so there the fields go
 * into `details`.
 */
function toErrorItem(error: Error, forErrorOutput: boolean): IDataObject {
	const errcode =
		(error as { errcode?: unknown }).errcode ?? (error instanceof NodeOperationError ? error.context.errcode : undefined);
	const fields: IDataObject = {
		errcode: typeof errcode === 'number' ? errcode : null,
		outcomeUnknown: error instanceof WeChatApiError && error.outcomeUnknown,
		...publishJobOf(error),
	};
	return forErrorOutput ? { error: error.message, details: fields } : { error: error.message, ...fields };
}

/** An n8n error that names the failing item; WeChat's message already names errcode and remedy. */
function toNodeError(
	this: IExecuteFunctions,
	error: Error,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof WeChatApiError) {
		const nodeError = new NodeApiError(
			this.getNode(),
			{ errcode: error.errcode ?? null, outcomeUnknown: error.outcomeUnknown, message: error.message } as JsonObject,
			{ message: error.message, description: error.description, itemIndex },
		);
		// n8n swaps a message that mentions ECONNRESET or ETIMEDOUT for "you can retry the request
		// immediately", wrong advice after a write whose outcome is unknown: keep ours.
		nodeError.message = error.message;
		return nodeError;
	}
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context.itemIndex ??= itemIndex;
		return error;
	}
	return new NodeOperationError(this.getNode(), error, { itemIndex });
}

/** The IDs an output item carries, so a person can find what WeChat already holds. */
const RESULT_IDS = ['publish_id', 'msg_id', 'media_id', 'article_id', 'url'];

/**
 * When a batch stops at a failed item, the items before it were done (a draft created, a job
 * submitted) but n8n shows no output: name them, so nobody re-runs the batch and publishes twice.
 */
function describeDoneItems(done: INodeExecutionData[]): string | undefined {
	if (done.length === 0) return undefined;
	const lines = done.map(({ json, pairedItem }) => {
		const ids = RESULT_IDS.filter((key) => typeof json[key] === 'string').map(
			(key) => `${key} ${json[key] as string}`,
		);
		const item = (pairedItem as { item: number }).item;
		return `item ${item}${ids.length > 0 ? ` (${ids.join(', ')})` : ''}`;
	});
	return `Items before the failed one were already done and are not repeated by fixing this one alone: ${lines.join('; ')}.`;
}

/**
 * Runs the selected operation once per input item, one after another. Under Continue On Fail a
 * failed item becomes `{ error, errcode }` and the others go on; nothing is thrown then, because
 * n8n would replace the items already done with the unchanged input.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const selected = {
		resource: this.getNodeParameter('resource', 0),
		operation: this.getNodeParameter('operation', 0),
	} as WeChatOfficialAccountType;
	const operation = operationFor.call(this, selected);
	// Checked before any call (an update reads first): with Retry On Fail on, n8n would send a
	// write again after any error. Each item fails with it, so Continue On Fail still applies.
	const refused =
		operation.kind === 'write'
			? writeRefusedUnderRetryOnFail.call(this, operationLabel(selected.resource, selected.operation))
			: undefined;
	const returnData: INodeExecutionData[] = [];
	const itemCount = this.getInputData().length;
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		try {
			if (refused) throw refused;
			const result = await operation.execute.call(this, itemIndex);
			for (const json of Array.isArray(result) ? result : [result]) {
				returnData.push({ json, pairedItem: { item: itemIndex } });
			}
		} catch (error) {
			if (this.continueOnFail()) {
				const forErrorOutput = this.getNode().onError === 'continueErrorOutput';
				returnData.push({
					json: toErrorItem(error as Error, forErrorOutput),
					pairedItem: { item: itemIndex },
				});
				continue;
			}
			const nodeError = toNodeError.call(this, error as Error, itemIndex);
			const done = describeDoneItems(returnData);
			if (done) nodeError.description = [nodeError.description, done].filter(Boolean).join('\n\n');
			throw nodeError;
		}
	}
	return [returnData];
}
