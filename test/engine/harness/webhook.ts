import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import { WebhookContext, WorkflowExecute } from 'n8n-core';
import {
	createRunExecutionData,
	Workflow,
	type ICredentialDataDecryptedObject,
	type INode,
	type IRun,
	type IWebhookData,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { ensureN8nRuntime } from '../../e2e/harness/runtime';
import { additionalData, CREDENTIAL_TYPE, EngineNodeTypes, TRIGGER_TYPE } from './engine';

/** The trigger's outputs in order, each leading to a No Operation node of that name. */
export const TRIGGER_OUTPUTS = ['Published', 'Failed', 'Removed', 'Other'] as const;
export const TRIGGER = 'WeChat Trigger';

type Handler = (req: Record<string, unknown>, res: unknown, next: (error?: unknown) => void) => void;
interface ExpressApp {
	use(handler: Handler): void;
	all(route: string, handler: (req: never, res: never) => Promise<void>): void;
	listen(port: number, host: string, ready: () => void): Server;
}

/** Express and n8n's own body middlewares from the provisioned n8n: what its webhook server runs. */
function n8nHttp(): { express: () => ExpressApp; rawBodyReader: Handler; parseBody: (req: unknown) => Promise<void> } {
	const modules = path.join(ensureN8nRuntime(2).dir, 'node_modules');
	/* eslint-disable @typescript-eslint/no-require-imports -- paths known only at run time */
	const express = require(path.join(modules, 'express')) as () => ExpressApp;
	const body = require(path.join(modules, 'n8n/dist/middlewares/body-parser.js')) as { rawBodyReader: Handler; parseBody: (req: unknown) => Promise<void> };
	/* eslint-enable @typescript-eslint/no-require-imports */
	return { express, ...body };
}

/**
 * The trigger in an active workflow (WeChat Trigger → one No Operation per output), served the
 * way n8n serves a production webhook: express with n8n's raw-body reader, n8n's body parsing,
 * the node's webhook() called with n8n-core's WebhookContext (as n8n's WebhookService does), and
 * any `workflowData` run by WorkflowExecute from the trigger node (mode `webhook`). The answer is
 * what the node wrote; else, with workflowData, the webhook description's `responseData` once the
 * run has started; else `webhookResponse`, with the webhook's response code.
 */
export class EngineTriggerServer {
	readonly url: string;

	private constructor(
		private readonly server: Server,
		/** The executions the trigger started, in order. */
		readonly runs: IRun[],
		private readonly pending: Set<Promise<void>>,
	) {
		this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook/engine-trigger/webhook`;
	}

	static async start(credentials: Record<string, ICredentialDataDecryptedObject>, parameters: INode['parameters'] = { options: {} }): Promise<EngineTriggerServer> {
		const nodeTypes = new EngineNodeTypes();
		const trigger: INode = {
			id: 'trigger',
			name: TRIGGER,
			type: TRIGGER_TYPE,
			typeVersion: 2,
			position: [0, 0],
			webhookId: 'engine-trigger',
			parameters,
			credentials: { [CREDENTIAL_TYPE]: { id: 'sandbox', name: 'WeChat (sandbox)' } },
		};
		const workflow = new Workflow({
			id: 'engine-trigger-workflow',
			nodes: [
				trigger,
				...TRIGGER_OUTPUTS.map((name, index): INode => ({ id: name, name, type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [300, index * 150], parameters: {} })),
			],
			connections: { [TRIGGER]: { main: TRIGGER_OUTPUTS.map((name) => [{ node: name, type: 'main', index: 0 }]) } },
			active: true,
			nodeTypes,
			settings: { executionOrder: 'v1' },
		});
		const nodeType = nodeTypes.getByNameAndVersion(TRIGGER_TYPE, trigger.typeVersion);
		const http = n8nHttp();
		const app = http.express();
		app.use(http.rawBodyReader);

		const runs: IRun[] = [];
		const pending = new Set<Promise<void>>();
		app.all('/webhook/*path', async (req: { method: string }, res: { status(code: number): { send(body: unknown): void }; headersSent: boolean }) => {
			const description = nodeType.description.webhooks?.find((webhook) => webhook.httpMethod === req.method);
			if (!description) {
				res.status(404).send('not registered for this method');
				return;
			}
			await http.parseBody(req);
			const data = additionalData(credentials, { httpRequest: req as never, httpResponse: res as never });
			const webhookData: IWebhookData = {
				httpMethod: description.httpMethod as IWebhookData['httpMethod'],
				node: TRIGGER,
				path: 'engine-trigger/webhook',
				webhookDescription: description,
				workflowId: workflow.id,
				workflowExecuteAdditionalData: data,
				webhookId: trigger.webhookId,
			};
			const context = new WebhookContext(workflow, trigger, data, 'webhook', webhookData, [], null);
			const answer: IWebhookResponseData = await nodeType.webhook!.call(context);
			if (answer.workflowData) {
				const runData = createRunExecutionData({ executionData: { nodeExecutionStack: [{ node: trigger, data: { main: answer.workflowData }, source: null }] } });
				const done: Promise<void> = new WorkflowExecute(additionalData(credentials), 'webhook', runData)
					.processRunExecutionData(workflow)
					.then((run) => void runs.push(run))
					.finally(() => pending.delete(done));
				pending.add(done);
			}
			if (!answer.noWebhookResponse && !res.headersSent) {
				// As n8n's webhook helpers do: with workflowData, the description's responseData once the
				// execution exists (here: started); without, the node's webhookResponse.
				const body = answer.workflowData ? (typeof description.responseData === 'string' ? description.responseData : '') : (answer.webhookResponse ?? '');
				res.status(Number(description.responseCode ?? 200)).send(body);
			}
		});
		const server = await new Promise<Server>((resolve) => {
			const listening: Server = app.listen(0, '127.0.0.1', () => resolve(listening));
		});
		return new EngineTriggerServer(server, runs, pending);
	}

	/** Waits until the executions started so far have finished. */
	async idle(): Promise<void> {
		while (this.pending.size > 0) await Promise.all([...this.pending]);
	}

	async close(): Promise<void> {
		await this.idle();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}
}
