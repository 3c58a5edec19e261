/**
 * Runs workflows inside n8n-core's own engine (`WorkflowExecute`), in this process: n8n's item
 * semantics (Continue On Fail, the error output, paired items, Retry On Fail, binary data) with
 * no n8n server. Modelled on how n8n tests its own nodes (packages/core/nodes-testing in
 * n8n-io/n8n: NodeTestHarness builds a Workflow, a credentials helper and lifecycle hooks, then
 * runs WorkflowExecute). Our nodes come from source; n8n's Manual Trigger and No Operation come
 * from n8n-nodes-base of the provisioned n8n (scripts/n8n-runtime.sh), the same n8n version as
 * the dev dependency n8n-core. HTTP goes through n8n-core's own request helper over real sockets.
 */
import path from 'node:path';

import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	ICredentialsHelper,
	NodeHelpers,
	Workflow,
	type ICredentialDataDecryptedObject,
	type IConnections,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypes,
	type IPinData,
	type IRequestOptionsSimplified,
	type IRun,
	type IVersionedNodeType,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { WeChatOfficialAccount } from '../../../nodes/WeChatOfficialAccount/WeChatOfficialAccount.node';
import { WeChatOfficialAccountTrigger } from '../../../nodes/WeChatOfficialAccountTrigger/WeChatOfficialAccountTrigger.node';
import { ensureN8nRuntime } from '../../e2e/harness/runtime';

/** Our node types under their community-package names, as n8n registers an installed package. */
export const ACTION_TYPE = 'n8n-nodes-wechat-publish.weChatOfficialAccount';
export const TRIGGER_TYPE = 'n8n-nodes-wechat-publish.weChatOfficialAccountTrigger';
export const CREDENTIAL_TYPE = 'weChatOfficialAccountApi';

/** A node class of n8n-nodes-base in the provisioned n8n, by its file under dist/nodes. */
function n8nBaseNode(file: string, className: string): INodeType {
	const dist = path.join(ensureN8nRuntime(2).dir, 'node_modules/n8n-nodes-base/dist/nodes');
	// eslint-disable-next-line @typescript-eslint/no-require-imports -- a path known only at run time
	const exports = require(path.join(dist, file)) as Record<string, new () => INodeType>;
	return new exports[className]();
}

/** The node types a test workflow may use: n8n's start and end nodes and ours. */
export class EngineNodeTypes implements INodeTypes {
	private readonly types: Record<string, INodeType | IVersionedNodeType> = {
		'n8n-nodes-base.manualTrigger': n8nBaseNode('ManualTrigger/ManualTrigger.node.js', 'ManualTrigger'),
		'n8n-nodes-base.noOp': n8nBaseNode('NoOp/NoOp.node.js', 'NoOp'),
		[ACTION_TYPE]: new WeChatOfficialAccount(),
		[TRIGGER_TYPE]: new WeChatOfficialAccountTrigger(),
	};

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		const type = this.types[nodeType];
		if (!type) throw new Error(`unknown node type ${nodeType}`);
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes(): Record<string, { className: string; sourcePath: string }> {
		return {};
	}
}

/**
 * The credentials helper n8n-core asks for decrypted credentials: one data set per credential
 * type, like n8n's test helper; our credential has no `authenticate` (the node fetches tokens).
 */
export class EngineCredentials extends ICredentialsHelper {
	constructor(private readonly byType: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(_credentials: ICredentialDataDecryptedObject, _type: string, request: IHttpRequestOptions | IRequestOptionsSimplified): Promise<IHttpRequestOptions> {
		return request as IHttpRequestOptions;
	}

	async preAuthentication(): Promise<undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<undefined> {
		return undefined;
	}

	async getCredentials(): Promise<never> {
		throw new Error('the engine tests read credentials decrypted only');
	}

	async getDecrypted(_additionalData: unknown, _node: unknown, type: string): Promise<ICredentialDataDecryptedObject> {
		const data = this.byType[type];
		if (!data) throw new Error(`no credential of type ${type} in this test`);
		return { ...data };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(): [] {
		return [];
	}
}

/** The additional data n8n's server hands WorkflowExecute, reduced to what a manual run reads. */
export function additionalData(
	credentials: Record<string, ICredentialDataDecryptedObject>,
	extra: Partial<IWorkflowExecuteAdditionalData> = {},
): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper: new EngineCredentials(credentials),
		hooks: new ExecutionLifecycleHooks('manual', 'engine-test', { id: 'engine', name: 'engine', nodes: [], connections: {} } as never),
		executionId: 'engine-test',
		currentNodeParameters: undefined,
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		variables: {},
		executeWorkflow: async () => {
			throw new Error('sub-workflows are not part of these tests');
		},
		getRunExecutionData: async () => undefined,
		logAiEvent: () => undefined,
		startRunnerTask: async () => {
			throw new Error('the Code node is not part of these tests');
		},
		...extra,
	} as unknown as IWorkflowExecuteAdditionalData;
}

export interface EngineWorkflow {
	nodes: INode[];
	connections: IConnections;
}

/** One run of a workflow: n8n's IRun and the order in which nodes finished. */
export interface EngineRun {
	run: IRun;
	nodeOrder: string[];
}

/**
 * Runs a workflow from its Manual Trigger as the editor's "Execute workflow" does
 * (`WorkflowExecute.run`, mode `manual`). `pinData` pins a node's output (items with binary
 * data, several items) as a user pins the Manual Trigger's in the editor.
 */
export async function runWorkflow(
	definition: EngineWorkflow,
	credentials: Record<string, ICredentialDataDecryptedObject>,
	pinData?: IPinData,
): Promise<EngineRun> {
	const workflow = new Workflow({
		id: 'engine',
		name: 'engine',
		nodes: definition.nodes,
		connections: definition.connections,
		active: false,
		nodeTypes: new EngineNodeTypes(),
		settings: { executionOrder: 'v1' },
	});
	const data = additionalData(credentials);
	const nodeOrder: string[] = [];
	data.hooks!.addHandler('nodeExecuteAfter', (nodeName) => {
		nodeOrder.push(nodeName);
	});
	const run = await new WorkflowExecute(data, 'manual').run({ workflow, pinData });
	return { run, nodeOrder };
}

/** The items of each output of a node's last run (json, binary and pairedItem as n8n holds them). */
export function outputsOf(run: IRun, nodeName: string): INodeExecutionData[][] {
	const runs = run.data.resultData.runData[nodeName];
	if (!runs?.length) throw new Error(`node "${nodeName}" did not run; error: ${run.data.resultData.error?.message ?? 'none'}`);
	return (runs[runs.length - 1].data?.main ?? []).map((items) => items ?? []);
}
