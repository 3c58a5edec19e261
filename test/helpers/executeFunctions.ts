/**
 * An IExecuteFunctions double for driving the action node (or the transport) without n8n.
 * Parameters, credentials, items and binary data are given up front; `helpers.httpRequest` really
 * sends requests (test/helpers/httpRequest.ts), so the node talks to the sandbox over sockets.
 */
import type {
	IBinaryData,
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IGetNodeParameterOptions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	NodeExecutionHint,
	NodeParameterValueType,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { createHttpRequest, type SentRequest } from './httpRequest';

export interface ExecuteFunctionsOptions {
	/** One parameter set for every item, or one per item (the last one repeats). */
	parameters: IDataObject | IDataObject[];
	/** Decrypted credential data by credential type, e.g. `{ weChatOfficialAccountApi: {...} }`. */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** Input items; default one empty item. */
	items?: INodeExecutionData[];
	/** Binary data for item i, merged into that item: `[{ data: { data: base64, mimeType, fileName } }]`. */
	binary?: Array<Record<string, IBinaryData> | undefined>;
	continueOnFail?: boolean;
	node?: Partial<INode>;
	/** What `getExecutionCancelSignal()` returns: n8n aborts it when the execution is cancelled. */
	cancelSignal?: AbortSignal;
	/** What `getMode()` returns: `manual` (the editor, the default) or a production mode such as `trigger`. */
	mode?: string;
	/** Replaces the real helper (e.g. to inject a failure); default sends over node:http. */
	httpRequest?: (options: IHttpRequestOptions) => Promise<unknown>;
}

export interface ExecuteFunctionsDouble extends IExecuteFunctions {
	/** Every request `helpers.httpRequest` sent. */
	readonly sent: SentRequest[];
	/** Every execution hint the node added (addExecutionHints). */
	readonly hints: NodeExecutionHint[];
}

/** The value at a dotted path (`options.waitForResult`), as n8n reads nested parameters. */
export function readPath(object: IDataObject, path: string): unknown {
	let current: unknown = object;
	for (const key of path.split('.')) {
		if (typeof current !== 'object' || current === null) return undefined;
		current = (current as IDataObject)[key];
	}
	return current;
}

function isResourceLocator(value: unknown): value is { __rl: true; mode: string; value: unknown } {
	return typeof value === 'object' && value !== null && (value as IDataObject).__rl === true;
}

export function createExecuteFunctions(options: ExecuteFunctionsOptions): ExecuteFunctionsDouble {
	const node: INode = {
		id: 'test-node-id',
		name: 'WeChat Official Account',
		type: 'n8n-nodes-wechat-publish.weChatOfficialAccount',
		// The action node's default version; a test of version 1 sets it.
		typeVersion: 2,
		position: [0, 0],
		parameters: {},
		...options.node,
	};
	const inputItems: INodeExecutionData[] = options.items ?? [{ json: {} }];
	const items: INodeExecutionData[] = inputItems.map((item, index) => {
		const binary = options.binary?.[index];
		return binary ? { ...item, binary: { ...item.binary, ...binary } } : item;
	});
	const parameterSets = Array.isArray(options.parameters) ? options.parameters : [options.parameters];
	const sent: SentRequest[] = [];
	const httpRequest = options.httpRequest ?? createHttpRequest(sent);

	const binaryOf = (itemIndex: number, property: string | IBinaryData): IBinaryData => {
		if (typeof property !== 'string') return property;
		const binary = items[itemIndex]?.binary?.[property];
		if (!binary) {
			throw new NodeOperationError(node, `This operation expects the node's input data to contain a binary file '${property}', but none was found`, { itemIndex });
		}
		return binary;
	};

	const hints: NodeExecutionHint[] = [];
	const functions = {
		sent,
		hints,
		addExecutionHints: (...added: NodeExecutionHint[]) => hints.push(...added),
		getNode: () => node,
		getInputData: () => items,
		continueOnFail: () => options.continueOnFail ?? false,
		getTimezone: () => 'UTC',
		getExecutionId: () => 'test-execution',
		getExecutionCancelSignal: () => options.cancelSignal,
		getMode: () => options.mode ?? 'manual',
		getNodeParameter(
			name: string,
			itemIndex: number,
			fallbackValue?: unknown,
			parameterOptions?: IGetNodeParameterOptions,
		): NodeParameterValueType | object {
			const parameters = parameterSets[Math.min(itemIndex, parameterSets.length - 1)];
			let value = readPath(parameters, name);
			if (value === undefined) {
				if (fallbackValue !== undefined) return fallbackValue as NodeParameterValueType;
				throw new Error(`Could not get parameter "${name}"`);
			}
			if (parameterOptions?.extractValue && isResourceLocator(value)) value = value.value;
			return value as NodeParameterValueType;
		},
		async getCredentials(type: string) {
			const credential = options.credentials?.[type];
			if (!credential) throw new NodeOperationError(node, `Node does not have any credentials set for "${type}"`);
			return credential;
		},
		helpers: {
			httpRequest,
			returnJsonArray: (data: IDataObject | IDataObject[]) =>
				(Array.isArray(data) ? data : [data]).map((json) => ({ json })),
			constructExecutionMetaData: (
				data: INodeExecutionData[],
				{ itemData }: { itemData: { item: number } | Array<{ item: number }> },
			) => data.map((item) => ({ ...item, pairedItem: itemData })),
			assertBinaryData: binaryOf,
			getBinaryDataBuffer: async (itemIndex: number, property: string | IBinaryData) =>
				Buffer.from(binaryOf(itemIndex, property).data, 'base64'),
			// n8n's default (in-memory) binary mode keeps the bytes as base64 in the item.
			prepareBinaryData: async (data: Buffer, fileName?: string, mimeType?: string): Promise<IBinaryData> => ({
				data: data.toString('base64'),
				mimeType: mimeType ?? 'application/octet-stream',
				fileName,
				fileExtension: fileName?.split('.').pop(),
				fileSize: String(data.length),
			}),
		},
		logger: {
			debug: () => undefined,
			info: () => undefined,
			warn: () => undefined,
			error: () => undefined,
		},
	};
	return functions as unknown as ExecuteFunctionsDouble;
}
