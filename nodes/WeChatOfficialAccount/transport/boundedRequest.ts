import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

/**
 * Every answer the nodes read through n8n's httpRequest, bounded twice: one wall-clock deadline
 * over the whole exchange (connecting, headers and every byte of the body), and a size cap on the
 * body. n8n's own `timeout` only limits the wait for headers and idle sockets (a server sending a
 * byte a second keeps it busy forever), and n8n reads bodies of any size whole; so the body is
 * taken as a stream, counted, and raced against the deadline.
 */

export type HttpRequestHelper = (options: IHttpRequestOptions) => Promise<unknown>;

/** The deadline passed before the answer was complete; `code` is ETIMEDOUT, as for a socket timeout. */
export class DeadlineExceededError extends Error {
	readonly code = 'ETIMEDOUT';

	constructor(
		readonly timeoutMs: number,
		/** Whether headers had come (the server answered, but its body did not finish in time). */
		readonly answered: boolean,
	) {
		super(
			answered
				? `the answer did not finish within ${timeoutMs / 1000} s`
				: `no answer came within ${timeoutMs / 1000} s`,
		);
		this.name = 'DeadlineExceededError';
	}
}

/**
 * One deadline, shared by every request of a download (each hop of a redirect chain, say). Its
 * timer does not keep the process alive.
 */
export class Deadline {
	readonly signal: AbortSignal;

	/** Rejects with DeadlineExceededError when the deadline passes; never resolves. */
	readonly expired: Promise<never>;

	private answered = false;

	constructor(readonly timeoutMs: number) {
		this.signal = AbortSignal.timeout(timeoutMs);
		this.expired = new Promise<never>((_, reject) => {
			this.signal.addEventListener('abort', () => reject(new DeadlineExceededError(timeoutMs, this.answered)), {
				once: true,
			});
		});
		// Nobody may be waiting when it passes (the download ended first).
		this.expired.catch(() => undefined);
	}

	/** Headers came: from now on an expiry means the body did not finish. */
	markAnswered(): void {
		this.answered = true;
	}
}

export interface AnswerLimits {
	/** Bytes of the body read at most; a longer body is cut here and the answer says `tooLarge`. */
	maxBytes: number;
	deadline: Deadline;
}

/** An answer read within its limits. */
export interface BoundedAnswer {
	statusCode: number;
	headers: IDataObject;
	/** The body, at most `maxBytes` long. */
	body: Buffer;
	/** The body was longer than `maxBytes` (or said so in Content-Length): it was not read to its end. */
	tooLarge: boolean;
}

type StreamBody = AsyncIterable<Buffer | Uint8Array | string> & { destroy?: () => void };

function close(body: unknown): void {
	const destroy = (body as { destroy?: unknown } | null)?.destroy;
	if (typeof destroy === 'function') destroy.call(body);
}

function isStream(body: unknown): body is StreamBody {
	return typeof body === 'object' && body !== null && Symbol.asyncIterator in body;
}

function toBuffer(chunk: unknown): Buffer {
	if (Buffer.isBuffer(chunk)) return chunk;
	if (chunk instanceof Uint8Array) return Buffer.from(chunk);
	if (chunk instanceof ArrayBuffer) return Buffer.from(chunk);
	if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
	return Buffer.from(JSON.stringify(chunk ?? ''));
}

/** Reads a body until its end, `maxBytes` + 1 bytes, or the deadline, whichever comes first. */
async function readBody(body: unknown, limits: AnswerLimits): Promise<{ body: Buffer; tooLarge: boolean }> {
	if (!isStream(body)) {
		const whole = toBuffer(body);
		return { body: whole.subarray(0, limits.maxBytes), tooLarge: whole.length > limits.maxBytes };
	}
	const chunks: Buffer[] = [];
	let size = 0;
	const reader = body[Symbol.asyncIterator]();
	try {
		for (;;) {
			// Raced against the deadline: a server that trickles bytes gets no more time than a silent one.
			const next = await Promise.race([reader.next(), limits.deadline.expired]);
			if (next.done) break;
			const chunk = toBuffer(next.value);
			chunks.push(chunk);
			size += chunk.length;
			if (size > limits.maxBytes) break;
		}
	} finally {
		close(body);
	}
	const whole = Buffer.concat(chunks);
	return { body: whole.subarray(0, limits.maxBytes), tooLarge: size > limits.maxBytes };
}

/**
 * n8n's httpRequest with a deadline over headers and body and a cap on the body. Any HTTP status
 * resolves (redirects are not followed unless `options` asks); a failed exchange rejects with n8n's
 * error, or with DeadlineExceededError when the deadline passed first.
 */
export async function requestWithinLimits(
	httpRequest: HttpRequestHelper,
	options: IHttpRequestOptions,
	limits: AnswerLimits,
): Promise<BoundedAnswer> {
	const { deadline } = limits;
	const request = httpRequest({
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		...options,
		timeout: deadline.timeoutMs,
		encoding: 'stream',
		json: false,
		returnFullResponse: true,
		abortSignal: deadline.signal,
	}) as Promise<{ statusCode: number; body: unknown; headers?: IDataObject }>;
	// A stream that arrives after the deadline is nobody's: close it.
	request.then((late) => deadline.signal.aborted && close(late.body), () => undefined);
	const outcome = await Promise.race([request, deadline.expired]).then(
		(response) => ({ response }),
		(error: unknown) => ({ error }),
	);
	if ('error' in outcome) {
		if (deadline.signal.aborted) await deadline.expired;
		throw outcome.error;
	}
	const { response } = outcome;
	deadline.markAnswered();
	const headers = response.headers ?? {};
	const declared = Number(headers['content-length']);
	if (Number.isFinite(declared) && declared > limits.maxBytes) {
		close(response.body);
		return { statusCode: response.statusCode, headers, body: Buffer.alloc(0), tooLarge: true };
	}
	return { statusCode: response.statusCode, headers, ...(await readBody(response.body, limits)) };
}
