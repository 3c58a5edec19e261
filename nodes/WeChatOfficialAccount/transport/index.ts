import type { IDataObject, IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { SendFunction, WeChatClient } from '../../wechat/api';
import { createWeChatClient, type WeChatCredential } from '../../wechat/tokenSources';
import { Deadline, type HttpRequestHelper, requestWithinLimits } from './boundedRequest';
import { writeRefusedUnderRetryOnFail } from './retryOnFail';

export const CREDENTIAL_TYPE = 'weChatOfficialAccountApi';

/**
 * Wraps n8n's httpRequest as the client's `send`: every HTTP status resolves (the client judges
 * it), the body comes back as raw bytes so big IDs can be parsed exactly, a redirect is returned
 * instead of followed (following would resend the body and the access token elsewhere), and the
 * request's deadline and size cap hold over headers and body (requestWithinLimits).
 */
export function sendThroughN8n(httpRequest: HttpRequestHelper): SendFunction {
	return async (request) => {
		const answer = await requestWithinLimits(
			httpRequest,
			{ method: request.method, url: request.url, headers: request.headers, body: request.body },
			{ maxBytes: request.maxBytes, deadline: new Deadline(request.timeoutMs) },
		);
		const contentType = answer.headers['content-type'];
		const location = answer.headers.location;
		return {
			statusCode: answer.statusCode,
			body: answer.body,
			contentType: typeof contentType === 'string' ? contentType : undefined,
			location: typeof location === 'string' ? location : undefined,
			tooLarge: answer.tooLarge,
		};
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

/** A read: retried when that is safe. Resolves with the parsed success (IDs as strings); rejects with WeChatApiError. */
export async function weChatRead(
	this: IExecuteFunctions | ILoadOptionsFunctions,
	method: 'GET' | 'POST',
	endpoint: string,
	body?: IDataObject,
): Promise<IDataObject> {
	const client = await createClient.call(this);
	return (await client.read(method, endpoint, { body })) as IDataObject;
}

/**
 * A write: sent once, never under Retry On Fail. `expect` names the field the success must hold
 * (the ID the operation returns).
 */
export async function weChatWrite(
	this: IExecuteFunctions,
	endpoint: string,
	body: IDataObject,
	options: { expect?: readonly string[] } = {},
): Promise<IDataObject> {
	const refused = writeRefusedUnderRetryOnFail.call(this, endpoint);
	if (refused) throw refused;
	const client = await createClient.call(this);
	return (await client.write(endpoint, { body, expect: options.expect })) as IDataObject;
}

/** A multipart upload of one file (field `media`). Uploads are writes: sent once. */
export async function weChatUploadRequest(
	this: IExecuteFunctions,
	endpoint: '/cgi-bin/material/add_material' | '/cgi-bin/media/uploadimg',
	file: { data: Buffer; fileName: string; mimeType: string },
	options: { query?: IDataObject; expect: readonly string[] },
): Promise<IDataObject> {
	const refused = writeRefusedUnderRetryOnFail.call(this, endpoint);
	if (refused) throw refused;
	const client = await createClient.call(this);
	const query: Record<string, string> = {};
	for (const [key, value] of Object.entries(options.query ?? {})) query[key] = String(value);
	return (await client.upload(endpoint, file, { query, expect: options.expect })) as IDataObject;
}

/** The credential's base URL: a sandbox or proxy there may serve the images it took itself. */
export async function weChatBaseUrl(this: IExecuteFunctions): Promise<string> {
	return (await createClient.call(this)).baseUrl;
}
