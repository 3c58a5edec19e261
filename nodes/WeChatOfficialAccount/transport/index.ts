import type { IDataObject, IExecuteFunctions, IHttpRequestOptions, ILoadOptionsFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { HttpResponse, SendFunction, WeChatClient } from '../../wechat/api';
import { createWeChatClient, type WeChatCredential } from '../../wechat/tokenSources';

export const CREDENTIAL_TYPE = 'weChatOfficialAccountApi';

type HttpRequestHelper = (options: IHttpRequestOptions) => Promise<unknown>;

/**
 * Wraps n8n's httpRequest as the client's `send`: every HTTP status resolves (the client judges
 * it), the body comes back as raw bytes so big IDs can be parsed exactly.
 */
export function sendThroughN8n(httpRequest: HttpRequestHelper): SendFunction {
	return async (request) => {
		const response = (await httpRequest({
			method: request.method,
			url: request.url,
			headers: request.headers,
			body: request.body,
			timeout: request.timeoutMs,
			encoding: 'arraybuffer',
			json: false,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		})) as { statusCode: number; body: unknown; headers?: IDataObject };
		return toHttpResponse(response);
	};
}

/** n8n's full response as the client's HttpResponse. */
export function toHttpResponse(response: { statusCode: number; body: unknown; headers?: IDataObject }): HttpResponse {
	const { body } = response;
	const contentType = response.headers?.['content-type'];
	return {
		statusCode: response.statusCode,
		body: Buffer.isBuffer(body)
			? body
			: body instanceof ArrayBuffer
				? Buffer.from(body)
				: typeof body === 'string'
					? body
					: JSON.stringify(body ?? ''),
		contentType: typeof contentType === 'string' ? contentType : undefined,
	};
}

/**
 * One client per node run: n8n's getCredentials decrypts and resolves the credential on every
 * call, which a batch of items (or the polls of Wait for Result) would otherwise repeat per request.
 */
const clientsByRun = new WeakMap<IExecuteFunctions | ILoadOptionsFunctions, Promise<WeChatClient>>();

async function createClient(this: IExecuteFunctions | ILoadOptionsFunctions): Promise<WeChatClient> {
	let client = clientsByRun.get(this);
	if (client === undefined) {
		client = this.getCredentials<WeChatCredential>(CREDENTIAL_TYPE).then(
			(credential) =>
				createWeChatClient(credential, {
					send: sendThroughN8n(async (options) => await this.helpers.httpRequest(options)),
					sleep,
				}),
		);
		clientsByRun.set(this, client);
		// A failed read is not kept: the next item reads the credential again.
		client.catch(() => clientsByRun.delete(this));
	}
	return await client;
}

/** A JSON call to WeChat. Resolves with the parsed success (IDs as strings); rejects with WeChatApiError. */
export async function weChatApiRequest(
	this: IExecuteFunctions | ILoadOptionsFunctions,
	method: 'GET' | 'POST',
	endpoint: string,
	body?: IDataObject,
	options?: { write?: boolean },
): Promise<IDataObject> {
	const client = await createClient.call(this);
	return (await client.call(method, endpoint, { body, write: options?.write })) as IDataObject;
}

/** A multipart upload of one file (field `media`). Uploads are writes: never resent. */
export async function weChatUploadRequest(
	this: IExecuteFunctions,
	endpoint: '/cgi-bin/material/add_material' | '/cgi-bin/media/uploadimg',
	file: { data: Buffer; fileName: string; mimeType: string },
	query?: IDataObject,
): Promise<IDataObject> {
	const client = await createClient.call(this);
	const stringQuery: Record<string, string> = {};
	for (const [key, value] of Object.entries(query ?? {})) stringQuery[key] = String(value);
	return (await client.upload(endpoint, file, stringQuery)) as IDataObject;
}
