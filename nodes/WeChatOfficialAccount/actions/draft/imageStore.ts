import { createHash } from 'node:crypto';

import type { IExecuteFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { convertImage } from '../../../wechat/image/convert';
import { canDecode, UndecodableImage } from '../../../wechat/image/codecs';
import { FORMATS } from '../../../wechat/image/formats';
import { BINARY_PREFIX, type ImageSource } from '../../../wechat/imageSources';
import { weChatUploadRequest } from '../../transport';
import { checkImageBytes, type ImageRules } from '../image/imageFile';
import { downloadImage, FIX_FORMAT, FIX_SIZE, ImageProblem, type DownloadLimits } from './imageFetch';
import { type UploadRecord, UploadLedger } from './uploadLedger';

/** Downloads and uploads at once: enough to hide WeChat's upload latency, few enough to be polite. */
export const IMAGE_CONCURRENCY = 5;

/** Runs `task` over `inputs` with at most `limit` running at once; settles every one, in order. */
export async function settleWithLimit<T, R>(
	inputs: readonly T[],
	limit: number,
	task: (input: T) => Promise<R>,
): Promise<Array<PromiseSettledResult<R>>> {
	const results: Array<PromiseSettledResult<R>> = new Array(inputs.length);
	let next = 0;
	const worker = async () => {
		while (next < inputs.length) {
			const index = next++;
			try {
				results[index] = { status: 'fulfilled', value: await task(inputs[index]) };
			} catch (reason) {
				results[index] = { status: 'rejected', reason };
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, inputs.length) }, worker));
	return results;
}

export interface ImageFile {
	data: Buffer;
	fileName: string;
	mimeType: string;
	/** sha256 of the bytes: the same picture from two sources is uploaded once. */
	hash: string;
	/** What conversion made these bytes acceptable, when one did: for the item's warnings. */
	conversion?: string;
}

export type Uploaded = UploadRecord;

/**
 * Converting holds the event loop for a while. Two turns of it let n8n read what came in meanwhile
 * (a server closing an idle keep-alive connection) before the next request would reuse that
 * connection and fail: for an upload, with an unknown outcome.
 */
async function letTheEventLoopTurn(): Promise<void> {
	await sleep(0);
	await sleep(0);
}

function hashOf(data: Buffer): string {
	return createHash('sha256').update(data).digest('hex');
}

/**
 * The images of one node run (one execution of this node): the same URL is downloaded once per
 * size limit, the same bytes are converted once per target and uploaded once per endpoint, across
 * all items. Failures are kept too, so an upload whose outcome is unknown is never sent again by a
 * later item.
 */
export class ImageStore {
	private readonly downloads = new Map<string, Promise<Buffer>>();
	private readonly conversions = new Map<string, Promise<ImageFile>>();
	readonly ledger: UploadLedger;

	constructor(private readonly functions: IExecuteFunctions) {
		this.ledger = new UploadLedger(functions);
	}

	/**
	 * The bytes behind a source, checked against `rules` (format by magic bytes, size); with
	 * `convert`, an image WeChat would refuse is converted first when it can be decoded.
	 */
	async resolve(source: ImageSource, itemIndex: number, rules: ImageRules, limits: DownloadLimits, convert: boolean): Promise<ImageFile> {
		const data = await this.bytesOf(source, itemIndex, limits);
		const checked = checkImageBytes(data, rules);
		if (checked.ok) return { data, fileName: `image.${checked.extension}`, mimeType: checked.mimeType, hash: hashOf(data) };
		const fix = checked.problem.includes('takes only') ? FIX_FORMAT : FIX_SIZE;
		if (!convert || !canDecode(data)) throw new ImageProblem(checked.problem, fix);
		const hash = hashOf(data);
		const key = `${hash} ${rules.formats.join()} ${rules.maxBytes}`;
		let conversion = this.conversions.get(key);
		if (conversion === undefined) {
			conversion = convertImage(data, rules).then(
				async (converted) => {
					await letTheEventLoopTurn();
					if (converted === undefined) throw new ImageProblem(checked.problem, fix);
					const { extension, mimeType } = FORMATS[converted.format];
					return { data: converted.data, fileName: `image.${extension}`, mimeType, hash: hashOf(converted.data), conversion: converted.summary };
				},
				async (error: Error) => {
					await letTheEventLoopTurn();
					if (!(error instanceof UndecodableImage)) throw error;
					throw new ImageProblem(`${checked.problem}, and it cannot be converted: ${error.message}`, fix);
				},
			);
			this.conversions.set(key, conversion);
		}
		return await conversion;
	}

	/** media/uploadimg for content, add_material (type image) for covers and image posts. */
	async upload(file: ImageFile, permanent: boolean, itemIndex: number): Promise<Uploaded> {
		const { data, fileName, mimeType } = file;
		return await this.ledger.upload(`${permanent ? 'material' : 'content'}:${file.hash}`, itemIndex, permanent, async () => {
			const response = permanent
				? await weChatUploadRequest.call(this.functions, '/cgi-bin/material/add_material', { data, fileName, mimeType }, { query: { type: 'image' }, expect: ['media_id'] })
				: await weChatUploadRequest.call(this.functions, '/cgi-bin/media/uploadimg', { data, fileName, mimeType }, { expect: ['url'] });
			return {
				url: String(response.url),
				...(response.media_id === undefined ? {} : { media_id: String(response.media_id) }),
			};
		});
	}

	private async bytesOf(source: ImageSource, itemIndex: number, limits: DownloadLimits): Promise<Buffer> {
		switch (source.kind) {
			case 'invalid':
				throw new ImageProblem(source.reason, 'Use a full http(s) URL, a data: URI or binary:<property> as the src');
			case 'data':
				return source.data;
			case 'binary':
				return await this.binaryBytes(source.property, itemIndex);
			default: {
				const url = source.kind === 'url' ? source.url : new URL(source.src);
				// Keyed by what the download checked: a refusal under one size limit says nothing about a larger one.
				const key = `${limits.maxBytes} ${url.toString()}`;
				let download = this.downloads.get(key);
				if (download === undefined) {
					download = downloadImage.call(this.functions, url, limits);
					this.downloads.set(key, download);
				}
				return await download;
			}
		}
	}

	private async binaryBytes(property: string, itemIndex: number): Promise<Buffer> {
		const binary = this.functions.getInputData()[itemIndex]?.binary ?? {};
		// Own properties only: "constructor" or "toString" name no binary data, whatever Object.prototype holds.
		if (!Object.prototype.hasOwnProperty.call(binary, property) || binary[property] === undefined) {
			const names = Object.keys(binary);
			throw new ImageProblem(
				`the input item has no binary property "${property}"${names.length > 0 ? ` (it has ${names.map((name) => `"${name}"`).join(', ')})` : ' (it has no binary data)'}`,
				`Write ${BINARY_PREFIX}<property> with the name of a binary property of the input item, for example ${BINARY_PREFIX}data`,
			);
		}
		return await this.functions.helpers.getBinaryDataBuffer(itemIndex, property);
	}
}

const storesByRun = new WeakMap<IExecuteFunctions, ImageStore>();

/** The run's store: n8n hands one IExecuteFunctions to a node run, for all its items. */
export function imageStoreFor(functions: IExecuteFunctions): ImageStore {
	let store = storesByRun.get(functions);
	if (store === undefined) {
		store = new ImageStore(functions);
		storesByRun.set(functions, store);
	}
	return store;
}
