/**
 * Runs the WeChat Official Account node's execute() against the sandbox over real HTTP, through
 * the IExecuteFunctions double, and sets up sandbox state through the node itself.
 */
import type {
	IBinaryData,
	ICredentialDataDecryptedObject,
	IDataObject,
	ILoadOptionsFunctions,
	INodeExecutionData,
} from 'n8n-workflow';

import { WeChatOfficialAccount } from '../../nodes/WeChatOfficialAccount/WeChatOfficialAccount.node';
import { createExecuteFunctions, type ExecuteFunctionsOptions } from '../helpers/executeFunctions';
import type { WeChatSandbox } from '../sandbox';
import { makePng } from '../fixtures/images';

export function credentialFor(sandbox: WeChatSandbox): ICredentialDataDecryptedObject {
	return {
		appId: sandbox.config.appId,
		appSecret: sandbox.config.appSecret,
		baseUrl: sandbox.url,
		authMode: 'stable',
	};
}

export type RunOptions = Omit<ExecuteFunctionsOptions, 'parameters' | 'credentials'>;

/** The node's output items, or the error execute() threw. */
export async function runNode(
	sandbox: WeChatSandbox,
	parameters: IDataObject | IDataObject[],
	options: RunOptions = {},
): Promise<INodeExecutionData[]> {
	const functions = createExecuteFunctions({
		...options,
		parameters,
		credentials: { weChatOfficialAccountApi: credentialFor(sandbox) },
	});
	const output = await new WeChatOfficialAccount().execute.call(functions);
	return output[0];
}

/** The error execute() rejects with; fails the test when it resolves. */
export async function runNodeError(
	sandbox: WeChatSandbox,
	parameters: IDataObject | IDataObject[],
	options: RunOptions = {},
): Promise<Error & { context?: IDataObject; description?: string }> {
	const outcome = await runNode(sandbox, parameters, options).then(
		(items) => ({ items }),
		(error: Error) => ({ error }),
	);
	if ('items' in outcome) throw new Error(`expected an error, got ${JSON.stringify(outcome.items)}`);
	return outcome.error;
}

/** A load-options context (list search) on the same double: same credential, real HTTP. */
export function loadOptionsFunctions(sandbox: WeChatSandbox): ILoadOptionsFunctions {
	return createExecuteFunctions({
		parameters: {},
		credentials: { weChatOfficialAccountApi: credentialFor(sandbox) },
	}) as unknown as ILoadOptionsFunctions;
}

export function binaryImage(data: Buffer, fileName: string, mimeType: string): Record<string, IBinaryData> {
	return { data: { data: data.toString('base64'), fileName, mimeType } };
}

/** Uploads a PNG cover through the node: its media_id for thumb_media_id. */
export async function uploadCover(sandbox: WeChatSandbox): Promise<string> {
	const [item] = await runNode(
		sandbox,
		{ resource: 'image', operation: 'uploadCover', binaryPropertyName: 'data' },
		{ binary: [binaryImage(makePng(), 'cover.png', 'image/png')] },
	);
	return item.json.media_id as string;
}

/** The articles of a draft, read back through the node (Draft → Get). */
export async function draftArticles(sandbox: WeChatSandbox, mediaId: string): Promise<IDataObject[]> {
	const [item] = await runNode(sandbox, { resource: 'draft', operation: 'get', mediaId: { __rl: true, mode: 'id', value: mediaId } });
	return item.json.news_item as IDataObject[];
}

/** Creates drafts with these first titles through the node; their media_ids in order. */
export async function createDrafts(
	sandbox: WeChatSandbox,
	thumbMediaId: string,
	titles: string[],
): Promise<string[]> {
	const items = await runNode(
		sandbox,
		titles.map((title) => ({
			resource: 'draft',
			operation: 'create',
			articlesInput: 'fields',
			articles: { article: [{ title, content: `<p>${title}</p>`, thumb_media_id: thumbMediaId }] },
		})),
		{ items: titles.map(() => ({ json: {} })) },
	);
	return items.map((item) => item.json.media_id as string);
}

/** Publishes one draft holding these articles through the node; the article_id WeChat gave it. */
export async function publishedArticle(sandbox: WeChatSandbox, thumbMediaId: string, titles: string[]): Promise<string> {
	const [draft] = await runNode(sandbox, {
		resource: 'draft',
		operation: 'create',
		articlesInput: 'json',
		articlesJson: JSON.stringify(titles.map((title) => ({ title, content: '<p>x</p>', thumb_media_id: thumbMediaId }))),
	});
	const [published] = await runNode(sandbox, submitAndWait(draft.json.media_id as string));
	return published.json.article_id as string;
}

/** Which articles of a publication are deleted, in order (Publish → Get Article). */
export async function publishedDeletedFlags(sandbox: WeChatSandbox, articleId: string): Promise<boolean[]> {
	const [article] = await runNode(sandbox, { resource: 'publish', operation: 'getArticle', articleId });
	return (article.json.news_item as IDataObject[]).map((entry) => entry.is_deleted as boolean);
}

/** Submit parameters that wait for the result with the shortest poll interval allowed. */
export function submitAndWait(mediaId: string, waitTimeout = 10): IDataObject {
	return {
		resource: 'publish',
		operation: 'submit',
		mediaId: { __rl: true, mode: 'id', value: mediaId },
		options: { waitForResult: true, pollInterval: 1, waitTimeout },
	};
}

/** Draft → Create's parameters for `articles` (Define Below); Allow Private Network on for the local image server. */
export function draftCreate(articles: IDataObject[], extra: IDataObject = {}): IDataObject {
	return {
		resource: 'draft',
		operation: 'create',
		articlesInput: 'fields',
		articles: { article: articles },
		...extra,
		options: { allowPrivateNetwork: true, ...(extra.options as IDataObject | undefined) },
	};
}

export function dataUri(data: Buffer, type = 'image/png'): string {
	return `data:${type};base64,${data.toString('base64')}`;
}
