import type { ICredentialDataDecryptedObject, IConnections, IDataObject, INode, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { makePng } from '../../fixtures/images';
import type { WeChatSandbox } from '../../sandbox';
import { ACTION_TYPE, CREDENTIAL_TYPE, outputsOf, runWorkflow, type EngineRun } from './engine';

/** The node names of the workflow every action test runs: Start → WeChat → Done (and Failed). */
export const START = 'Start';
export const WECHAT = 'WeChat';
export const DONE = 'Done';
export const FAILED = 'Failed';

/** The node settings a user sets on the action node (n8n's "Settings" tab). */
export interface ActionSettings {
	onError?: INode['onError'];
	retryOnFail?: boolean;
	maxTries?: number;
	waitBetweenTries?: number;
}

/** The credential of the sandbox, as a user would fill it in. */
export function sandboxCredentials(sandbox: WeChatSandbox): Record<string, ICredentialDataDecryptedObject> {
	return {
		[CREDENTIAL_TYPE]: {
			appId: sandbox.config.appId,
			appSecret: sandbox.config.appSecret,
			baseUrl: sandbox.url,
			authMode: 'stable',
			token: sandbox.config.token,
			encodingAesKey: sandbox.config.encodingAesKey,
		},
	};
}

function node(name: string, type: string, x: number, parameters: IDataObject = {}, y = 0): INode {
	return { id: name, name, type, typeVersion: 1, position: [x, y], parameters: parameters as INodeParameters };
}

/**
 * Manual Trigger → our action node with `parameters` and `settings` → No Operation nodes on each
 * of its outputs ("Done" on the first, "Failed" on the error output when there is one).
 */
export function actionWorkflow(parameters: IDataObject, settings: ActionSettings = {}): { nodes: INode[]; connections: IConnections } {
	const wechat: INode = {
		...node(WECHAT, ACTION_TYPE, 200, parameters),
		credentials: { [CREDENTIAL_TYPE]: { id: 'sandbox', name: 'WeChat (sandbox)' } },
		...settings,
	};
	const outputs = settings.onError === 'continueErrorOutput' ? [DONE, FAILED] : [DONE];
	return {
		nodes: [
			node(START, 'n8n-nodes-base.manualTrigger', 0),
			wechat,
			...outputs.map((name, index) => node(name, 'n8n-nodes-base.noOp', 400, {}, index * 200)),
		],
		connections: {
			[START]: { main: [[{ node: WECHAT, type: 'main', index: 0 }]] },
			[WECHAT]: { main: outputs.map((name) => [{ node: name, type: 'main', index: 0 }]) },
		},
	};
}

/** What a run of the action workflow gave: n8n's run, and each node's outputs read from it. */
export interface ActionRun extends EngineRun {
	/** The items on each output of the action node. */
	wechat: INodeExecutionData[][];
	/** The items that reached a No Operation node; [] when it did not run. */
	reached(name: typeof DONE | typeof FAILED): INodeExecutionData[];
	/** The message of the error that stopped the run, if one did. */
	error?: string;
}

/**
 * Runs the action workflow inside n8n-core. `items`, when given, are pinned as the Manual
 * Trigger's output (several items, binary data); otherwise it emits its one empty item.
 */
export async function runAction(
	sandbox: WeChatSandbox,
	parameters: IDataObject,
	{ settings, items }: { settings?: ActionSettings; items?: INodeExecutionData[] } = {},
): Promise<ActionRun> {
	const engineRun = await runWorkflow(actionWorkflow(parameters, settings), sandboxCredentials(sandbox), items ? { [START]: items } : undefined);
	const { runData, error } = engineRun.run.data.resultData;
	return {
		...engineRun,
		wechat: runData[WECHAT] ? outputsOf(engineRun.run, WECHAT) : [],
		reached: (name) => (runData[name] ? outputsOf(engineRun.run, name)[0] : []),
		error: error?.message,
	};
}

/** An input item holding an image in a binary property, as n8n's Read File or HTTP Request gives one. */
export function imageItem(bytes: Buffer, fileName: string, mimeType: string, property = 'data'): INodeExecutionData {
	return { json: { fileName }, binary: { [property]: { data: bytes.toString('base64'), fileName, mimeType } } };
}

/** The first output of a run that must have succeeded; fails with n8n's error otherwise. */
export function succeeded(result: ActionRun): INodeExecutionData[] {
	if (result.error !== undefined) throw new Error(`the run failed: ${result.error}`);
	return result.wechat[0];
}

/** Creates a draft through the node in the engine (its cover uploaded from binary data); its media_id. */
export async function createDraft(sandbox: WeChatSandbox, title: string): Promise<string> {
	const [cover] = succeeded(
		await runAction(sandbox, { resource: 'image', operation: 'uploadCover', binaryPropertyName: 'data' }, { items: [imageItem(makePng(), 'cover.png', 'image/png')] }),
	);
	const [draft] = succeeded(
		await runAction(sandbox, {
			resource: 'draft',
			operation: 'create',
			articlesInput: 'fields',
			articles: { article: [{ title, content: `<p>${title}</p>`, thumb_media_id: cover.json.media_id }] },
		}),
	);
	return String(draft.json.media_id);
}
