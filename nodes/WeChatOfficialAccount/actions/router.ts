import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, type JsonObject } from 'n8n-workflow';

import { type CallKind, WeChatApiError } from '../../wechat/api';
import { writeRefusedUnderRetryOnFail } from '../transport/retryOnFail';
import { operationLabel } from './versionDescription';
import * as article from './article/Article.resource';
import * as comment from './comment/Comment.resource';
import * as draft from './draft/Draft.resource';
import { publishJobOf } from './errors';
import * as image from './image/Image.resource';
import * as massMessage from './massMessage/MassMessage.resource';
import type { NodeMap, WeChatOfficialAccountType } from './node.type';
import { OutputItem } from './outputItem';
import * as publish from './publish/Publish.resource';
import * as statistics from './statistics/Statistics.resource';

type OperationExecute = (
	this: IExecuteFunctions,
	itemIndex: number,
) => Promise<IDataObject | IDataObject[] | OutputItem>;

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
	statistics,
	comment,
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
 * The item a failed input item becomes under Continue On Fail, on either output:
 * `{ error: { message, errcode, outcomeUnknown, ...the job's IDs } }`. `outcomeUnknown` is true
 * when a write may have reached WeChat without an answer, so a workflow can branch on it. Under
 * "Continue (using error output)" n8n 1.x moves an item to the Error output only when its JSON is
 * `{ error }` or `{ error, message }`, and n8n 2.x when it holds nothing but error, message and
 * details; an item's own `error` property would make both replace the JSON with the message
 * alone. So everything travels inside `error`, the one shape both lines route.
 */
function toErrorItem(error: Error): IDataObject {
	const errcode =
		(error as { errcode?: unknown }).errcode ?? (error instanceof NodeOperationError ? error.context.errcode : undefined);
	return {
		error: {
			message: error.message,
			errcode: typeof errcode === 'number' ? errcode : null,
			outcomeUnknown: error instanceof WeChatApiError && error.outcomeUnknown,
			...publishJobOf(error),
		},
	};
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
const RESULT_IDS = ['publish_id', 'msg_id', 'media_id', 'article_id', 'url', 'user_comment_id'];

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
 * failed item becomes an error item (toErrorItem) and the others go on; nothing is thrown then, because
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
				if (json instanceof OutputItem) returnData.push({ json: json.json, binary: json.binary, pairedItem: { item: itemIndex } });
				else returnData.push({ json, pairedItem: { item: itemIndex } });
			}
		} catch (error) {
			if (this.continueOnFail()) {
				returnData.push({ json: toErrorItem(error as Error), pairedItem: { item: itemIndex } });
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
