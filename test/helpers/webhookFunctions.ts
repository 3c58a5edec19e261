/**
 * An IWebhookFunctions double for driving a trigger's webhook() without n8n: a request with
 * real raw bytes (`rawBody`, as n8n keeps them), query and headers; node parameters,
 * credentials and the workflow and node ids; and a response object that records what the node
 * answered and, when given a node:http response, really sends it.
 */
import { createHash, randomInt } from 'node:crypto';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';

import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeType,
	IWebhookFunctions,
	IWebhookResponseData,
	Logger,
} from 'n8n-workflow';

import { MessageCrypto } from '../../nodes/wechat/crypto';
import { computeSignature } from '../../nodes/wechat/signature';

export interface WebhookRequest {
	/** GET goes to the `setup` webhook, POST to `default` (the trigger's two webhooks). */
	method: 'GET' | 'POST';
	/** As express parses it: a repeated parameter is an array. */
	query?: IDataObject;
	headers?: IncomingHttpHeaders;
	/** The request's bytes; undefined when n8n kept none. */
	rawBody?: Buffer | string;
}

export interface WebhookContext {
	/** The node's parameters, e.g. `{ options: { emitOtherEvents: true } }`. */
	parameters?: IDataObject;
	/** The `weChatOfficialAccountApi` credential; undefined: none is set. */
	credentials?: ICredentialDataDecryptedObject;
	/**
	 * The credential's id in the node (n8n gives each credential its own). By default derived from
	 * the credential's values, so a context with other values is another credential.
	 */
	credentialId?: string;
	workflowId?: string;
	nodeId?: string;
	/**
	 * The node's workflow static data, as n8n loads it from its database for each request (and
	 * saves it when it answers). By default one object per workflow and node for the whole test
	 * run; pass an object to start from, or share one between contexts.
	 */
	staticData?: IDataObject;
	/** The node's version (default 1). */
	typeVersion?: number;
}

const staticDataOfNodes = new Map<string, IDataObject>();

/** What the node answered through the response object. */
export class RecordedResponse {
	status = 200;
	contentType?: string;
	body?: string;
	/** How often send() or end() was called: more than once is a bug. */
	sends = 0;

	private express?: ReturnType<IWebhookFunctions['getResponseObject']>;

	/** With `sink`, the answer is also written to a real HTTP response. */
	constructor(private readonly sink?: ServerResponse) {}

	/** One response object per request, as express has (the node may wrap its methods). */
	asExpressResponse(): ReturnType<IWebhookFunctions['getResponseObject']> {
		if (this.express) return this.express;
		const statusOf = () => this.status;
		const response = {
			get statusCode() {
				return statusOf();
			},
			status: (code: number) => {
				this.status = code;
				return response;
			},
			type: (type: string) => {
				this.contentType = type;
				return response;
			},
			setHeader: (name: string, value: string) => {
				if (name.toLowerCase() === 'content-type') this.contentType = value;
				return response;
			},
			send: (body?: string | Buffer) => {
				this.body = body === undefined ? '' : body.toString();
				this.sends++;
				this.sink?.writeHead(this.status, { 'Content-Type': this.contentType ?? 'text/html' }).end(body);
				return response;
			},
			json: (body: unknown) => response.type('application/json').send(JSON.stringify(body)),
			end: () => {
				this.sends++;
				this.sink?.writeHead(this.status).end();
				return response;
			},
		};
		this.express = response as unknown as ReturnType<IWebhookFunctions['getResponseObject']>;
		return this.express;
	}
}

export interface WebhookCall {
	result: IWebhookResponseData;
	response: RecordedResponse;
	/** Lines the node logged at warn level or above. */
	warnings: string[];
	/** n8n, not the node, answered (after creating the execution). */
	n8nAnswered?: boolean;
}

function readPath(object: IDataObject, path: string): unknown {
	let current: unknown = object;
	for (const key of path.split('.')) {
		if (typeof current !== 'object' || current === null) return undefined;
		current = (current as IDataObject)[key];
	}
	return current;
}

export function createWebhookFunctions(
	request: WebhookRequest,
	context: WebhookContext = {},
	response = new RecordedResponse(),
): { functions: IWebhookFunctions; warnings: string[]; saveStaticData: () => void } {
	const node: INode = {
		id: context.nodeId ?? 'trigger-node-id',
		name: 'WeChat Official Account Trigger',
		type: 'n8n-nodes-wechat-publish.weChatOfficialAccountTrigger',
		typeVersion: context.typeVersion ?? 1,
		position: [0, 0],
		parameters: (context.parameters ?? {}) as INode['parameters'],
		webhookId: 'trigger-webhook-id',
	};
	if (context.credentials) {
		const id = context.credentialId ?? createHash('sha256').update(JSON.stringify(context.credentials)).digest('hex').slice(0, 16);
		node.credentials = { weChatOfficialAccountApi: { id, name: 'WeChat' } };
	}
	const rawBody = typeof request.rawBody === 'string' ? Buffer.from(request.rawBody, 'utf8') : request.rawBody;
	const warnings: string[] = [];
	const record = (message: string) => warnings.push(message);
	const logger = { error: record, warn: record, info: () => {}, debug: () => {} } as unknown as Logger;

	// n8n loads static data from its database for each request and saves it when it answers.
	const staticKey = `${context.workflowId ?? 'trigger-workflow-id'}\n${node.id}`;
	const stored = context.staticData ?? staticDataOfNodes.get(staticKey) ?? {};
	if (!context.staticData) staticDataOfNodes.set(staticKey, stored);
	const requestStaticData = structuredClone(stored);
	const saveStaticData = () => {
		for (const name of Object.keys(stored)) delete stored[name];
		Object.assign(stored, requestStaticData);
	};

	const functions = {
		logger,
		getWebhookName: () => (request.method === 'GET' ? 'setup' : 'default'),
		getQueryData: () => request.query ?? {},
		getHeaderData: () => request.headers ?? {},
		getRequestObject: () => ({ method: request.method, query: request.query ?? {}, headers: request.headers ?? {}, rawBody }),
		getResponseObject: () => response.asExpressResponse(),
		getBodyData: () => {
			throw new Error('the trigger must read rawBody, not n8n\'s parse of the body');
		},
		getNodeParameter: (name: string, fallback?: unknown) => readPath(context.parameters ?? {}, name) ?? fallback,
		getCredentials: async (type: string) => {
			if (type !== 'weChatOfficialAccountApi' || !context.credentials) {
				throw new Error(`Node does not have any credentials set for "${type}"`);
			}
			return context.credentials;
		},
		getNode: () => node,
		getWorkflow: () => ({ id: context.workflowId ?? 'trigger-workflow-id', name: 'test', active: true }),
		getWorkflowStaticData: (type: string) => {
			if (type !== 'node') throw new Error(`the trigger keeps node static data, not ${type}`);
			return requestStaticData;
		},
		getMode: () => 'webhook',
	};
	return { functions: functions as unknown as IWebhookFunctions, warnings, saveStaticData };
}

/**
 * Calls `node.webhook()` with the double and returns what it returned and answered. Like n8n
 * 2.41 (webhooks/webhook-helpers.js, executeWebhook) for a webhook with `responseMode: onReceived`:
 * when the node returns workflowData without `noWebhookResponse`, "n8n" answers the webhook
 * description's `responseData` with the webhook's `responseCode` (200), after the execution
 * would have been created; `n8nAnswered` says so. Static data is saved as n8n's response
 * callback saves it (webhooks/live-webhooks.js).
 */
export async function callWebhook(
	node: INodeType,
	request: WebhookRequest,
	context: WebhookContext = {},
): Promise<WebhookCall> {
	const response = new RecordedResponse();
	const { functions, warnings, saveStaticData } = createWebhookFunctions(request, context, response);
	if (!node.webhook) throw new Error('node has no webhook()');
	const result = await node.webhook.call(functions);
	saveStaticData();
	const n8nAnswered = answerLikeN8n(node, request.method, result, response);
	return { result, response, warnings, n8nAnswered };
}

/** n8n's part after webhook() returned (see callWebhook); true when "n8n" answered. */
export function answerLikeN8n(
	node: INodeType,
	method: WebhookRequest['method'],
	result: IWebhookResponseData,
	response: RecordedResponse,
): boolean {
	if (result.workflowData === undefined || result.noWebhookResponse === true || response.sends !== 0) return false;
	const name = method === 'GET' ? 'setup' : 'default';
	const webhook = node.description.webhooks?.find((candidate) => candidate.name === name);
	if (webhook?.responseMode !== 'onReceived' || typeof webhook.responseData !== 'string') {
		throw new Error(`webhook ${name}: the double emulates only onReceived with a literal responseData`);
	}
	response.asExpressResponse().status(Number(webhook.responseCode ?? 200)).send(webhook.responseData);
	return true;
}

/** The callback side of a credential, as WeChat knows it too. */
export interface CallbackSecrets {
	appId: string;
	token: string;
	encodingAesKey: string;
}

export type MessageMode = 'plain' | 'compatible' | 'safe';

export interface SignedAt {
	timestamp?: string;
	nonce?: string;
}

/** A fresh nonce, as WeChat signs each request with its own: a signed URL carries one body. */
export function randomNonce(): string {
	return String(randomInt(100_000_000, 2_000_000_000));
}

export function nowSeconds(): number {
	return Math.floor(Date.now() / 1000);
}

/** WeChat's URL check: GET with signature, timestamp, nonce and echostr. */
export function signedSetup(echostr: string, secrets: CallbackSecrets, at: SignedAt = {}): WebhookRequest {
	const timestamp = at.timestamp ?? String(nowSeconds());
	const nonce = at.nonce ?? randomNonce();
	return {
		method: 'GET',
		query: { signature: computeSignature(secrets.token, timestamp, nonce), timestamp, nonce, echostr },
	};
}

/**
 * A push of `xml` as WeChat sends it in `mode`: plain XML under `signature`; or encrypted, with
 * `encrypt_type=aes` and `msg_signature`, the Encrypt element added to the plain fields
 * (compatible) or alone beside ToUserName (safe). Built from the core's signature and crypto.
 */
export function signedPush(
	xml: string,
	mode: MessageMode,
	secrets: CallbackSecrets,
	at: SignedAt = {},
): WebhookRequest {
	const timestamp = at.timestamp ?? String(nowSeconds());
	const nonce = at.nonce ?? randomNonce();
	const query: IDataObject = {
		signature: computeSignature(secrets.token, timestamp, nonce),
		timestamp,
		nonce,
		openid: 'oV5CrjpxgaGXNHIQigzNlgLTnwic',
	};
	if (mode === 'plain') return { method: 'POST', query, rawBody: xml, headers: { 'content-type': 'text/xml' } };
	const encrypted = new MessageCrypto(secrets.encodingAesKey, secrets.appId).encrypt(xml);
	query.encrypt_type = 'aes';
	query.msg_signature = computeSignature(secrets.token, timestamp, nonce, encrypted);
	const encryptElement = `<Encrypt><![CDATA[${encrypted}]]></Encrypt>`;
	const rawBody =
		mode === 'safe'
			? `<xml>\n<ToUserName><![CDATA[gh_4d00ed8d6399]]></ToUserName>\n${encryptElement}\n</xml>`
			: xml.replace(/<\/xml>\s*$/, `${encryptElement}\n</xml>`);
	return { method: 'POST', query, rawBody, headers: { 'content-type': 'text/xml' } };
}
