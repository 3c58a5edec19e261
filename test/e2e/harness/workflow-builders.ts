import type { WorkflowJson } from './n8n';

/**
 * Small hand-built workflows for `N8nInstance.start` (the smoke test, the error-output test, the
 * webhook bench): the nodes they share and the workflow around them.
 */

type NodeJson = Record<string, unknown>;

/** A workflow in n8n's current execution order (v1). */
export function workflow(fields: Pick<WorkflowJson, 'id' | 'name' | 'nodes' | 'connections' | 'active'>): WorkflowJson {
	return { ...fields, settings: { executionOrder: 'v1' } };
}

/** Connections that run the named nodes one after the other: each first output into the next node. */
export function chain(...names: string[]): Record<string, unknown> {
	return Object.fromEntries(names.slice(1).map((to, index) => [names[index], { main: [[{ node: to, type: 'main', index: 0 }]] }]));
}

/** n8n's Manual Trigger, "Start": what `n8n execute` runs from. */
export function manualTriggerNode(): NodeJson {
	return { id: 'start', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
}

/** n8n's Webhook node, "Webhook", answering POST on its production URL `/webhook/<path>`. */
export function webhookNode(path: string, webhookId: string): NodeJson {
	return {
		id: 'hook',
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId,
		parameters: { httpMethod: 'POST', path, options: {} },
	};
}

/** Our trigger, "WeChat Trigger", as loaded from dist/ (CUSTOM prefix); production path `<webhookId>/webhook`. */
export function weChatTriggerNode(options: { webhookId: string; typeVersion: number; credential: { id: string; name: string } }): NodeJson {
	return {
		id: 'trigger',
		name: 'WeChat Trigger',
		type: 'CUSTOM.weChatOfficialAccountTrigger',
		typeVersion: options.typeVersion,
		position: [0, 0],
		webhookId: options.webhookId,
		parameters: { options: {} },
		credentials: { weChatOfficialAccountApi: { id: options.credential.id, name: options.credential.name } },
	};
}

/** Our action node, as loaded from dist/ (CUSTOM prefix), with `settings` (onError, retryOnFail, …) beside its parameters. */
export function weChatActionNode(name: string, parameters: NodeJson, x: number, credential: { id: string; name: string }, settings: NodeJson = {}): NodeJson {
	return {
		id: name,
		name,
		type: 'CUSTOM.weChatOfficialAccount',
		typeVersion: 1,
		position: [x, 0],
		parameters,
		credentials: { weChatOfficialAccountApi: credential },
		...settings,
	};
}

/** An HTTP Request node that POSTs `jsonBody` (an n8n expression) as JSON to `url`. */
export function httpPostNode(name: string, url: string, jsonBody: string, x = 220): NodeJson {
	return {
		id: name,
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [x, 0],
		parameters: { method: 'POST', url, sendBody: true, specifyBody: 'json', jsonBody, options: {} },
	};
}
