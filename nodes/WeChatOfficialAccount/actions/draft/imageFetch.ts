import type { IExecuteFunctions } from 'n8n-workflow';

import { formatSize } from '../../../wechat/image/formats';
import { privateNetworkReason } from '../../../wechat/imageSources';
import { Deadline, DeadlineExceededError, requestWithinLimits } from '../../transport/boundedRequest';

/** Why an image cannot be used, and what the user can do about it. */
export class ImageProblem extends Error {
	constructor(
		message: string,
		readonly fix: string,
	) {
		super(message);
		this.name = 'ImageProblem';
	}
}

export const FIX_URL =
	'Check that the URL opens the image in a browser, or attach the image to the item as binary data and write binary:<property> as its src';
const FIX_PRIVATE =
	'Host the image on a public address, attach it as binary data (binary:<property>), or turn on the option Allow Private Network if this n8n may fetch from that network';

export interface DownloadLimits {
	/** Bytes read at most; a larger image is refused without reading the rest. */
	maxBytes: number;
	/** Wall-clock time for the whole download: every redirect, headers and body. */
	timeoutMs: number;
	maxRedirects: number;
	allowPrivateNetwork: boolean;
}

interface EgressFilter {
	validateUrl(url: string | URL): Promise<{ ok: boolean; error?: Error }>;
}

/**
 * Refuses loopback, private, link-local and cloud-metadata hosts. Literal IPs and local names are
 * judged from the URL; host names are resolved by n8n's egress filter (its SSRF guard, enforced
 * here whatever the instance setting) where this n8n offers one.
 */
async function checkNetwork(this: IExecuteFunctions, url: URL, limits: DownloadLimits): Promise<void> {
	if (limits.allowPrivateNetwork) return;
	const literal = privateNetworkReason(url);
	if (literal) throw new ImageProblem(`it is on a private network: ${literal}`, FIX_PRIVATE);
	const helpers = this.helpers as { getSecureEgressFilter?: (policy: 'enforced') => EgressFilter };
	if (typeof helpers.getSecureEgressFilter !== 'function') return;
	const verdict = await helpers
		.getSecureEgressFilter('enforced')
		.validateUrl(url)
		.catch((error: Error) => ({ ok: true, lookupError: error, error: undefined }));
	if ('lookupError' in verdict) {
		throw new ImageProblem(`its host ${url.hostname} could not be resolved (${verdict.lookupError.message})`, FIX_URL);
	}
	if (!verdict.ok) {
		throw new ImageProblem(
			`it is on a private network: ${url.hostname} resolves to an address n8n's network policy blocks (${verdict.error?.message ?? 'blocked'})`,
			FIX_PRIVATE,
		);
	}
}

function describeFailure(error: Error & { code?: string }, timeoutMs: number): string {
	const text = `${error.code ?? ''} ${error.message}`;
	if (/timeout|ETIMEDOUT|ECONNABORTED/i.test(text)) return `the download got no answer within ${timeoutMs / 1000} s`;
	if (/ENOTFOUND|EAI_AGAIN/.test(text)) return 'its host name was not found';
	if (/ECONNREFUSED/.test(text)) return 'its server refused the connection';
	return `the download failed (${error.message})`;
}

/** One hop after another until an image arrives, all within one deadline. */
async function followToImage(this: IExecuteFunctions, start: URL, limits: DownloadLimits, deadline: Deadline): Promise<Buffer> {
	const visited = new Set<string>();
	let url = start;
	for (;;) {
		await Promise.race([checkNetwork.call(this, url, limits), deadline.expired]);
		visited.add(url.toString());
		const answer = await requestWithinLimits(
			this.helpers.httpRequest,
			{ method: 'GET', url: url.toString(), headers: { Accept: 'image/png,image/jpeg;q=0.9,image/*;q=0.5' } },
			{ maxBytes: limits.maxBytes, deadline },
		).catch((error: Error) => {
			if (error instanceof DeadlineExceededError) throw error;
			throw new ImageProblem(describeFailure(error, limits.timeoutMs), FIX_URL);
		});
		const { statusCode, headers, body } = answer;
		const location = headers.location;
		if (statusCode >= 300 && statusCode < 400 && typeof location === 'string') {
			const next = new URL(location, url);
			if (visited.has(next.toString())) throw new ImageProblem(`its URL redirects in a loop (back to ${next.toString()})`, FIX_URL);
			if (visited.size > limits.maxRedirects) throw new ImageProblem(`its URL redirects more than ${limits.maxRedirects} times`, FIX_URL);
			if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new ImageProblem(`its URL redirects to a ${next.protocol} URL`, FIX_URL);
			url = next;
			continue;
		}
		if (statusCode < 200 || statusCode >= 300) throw new ImageProblem(`its server answered HTTP ${statusCode}`, FIX_URL);
		if (answer.tooLarge) {
			const declared = Number(headers['content-length']);
			throw new ImageProblem(
				Number.isFinite(declared) && declared > limits.maxBytes
					? `it is ${formatSize(declared)}, more than the ${formatSize(limits.maxBytes)} accepted`
					: `it is more than the ${formatSize(limits.maxBytes)} accepted`,
				FIX_SIZE,
			);
		}
		if (body.length === 0) throw new ImageProblem('its URL answered with no data', FIX_URL);
		return body;
	}
}

/**
 * Downloads an image with n8n's HTTP helper: redirects followed one by one (each hop checked
 * like the first, loops and long chains refused), one deadline over the whole download (headers
 * and body of every hop), and at most `maxBytes` read (the transport's requestWithinLimits).
 */
export async function downloadImage(this: IExecuteFunctions, start: URL, limits: DownloadLimits): Promise<Buffer> {
	const deadline = new Deadline(limits.timeoutMs);
	const seconds = limits.timeoutMs / 1000;
	return await followToImage.call(this, start, limits, deadline).catch((error: unknown) => {
		if (!(error instanceof DeadlineExceededError)) throw error;
		const what = error.answered ? `the download did not finish within ${seconds} s` : `the download got no answer within ${seconds} s`;
		throw new ImageProblem(what, FIX_URL);
	});
}

export const FIX_SIZE = 'Make the image smaller first (resize it or lower its quality, for example with the Edit Image node)';
export const FIX_FORMAT =
	'Convert the image to JPEG or PNG first (for example with the Edit Image node), or link a JPEG or PNG version of it';
