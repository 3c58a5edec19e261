import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the catcher received. */
export interface CaughtRequest {
	method: string;
	/** Path and query string, as sent. */
	path: string;
	headers: IncomingHttpHeaders;
	/** The raw body as text. */
	text: string;
	/** The body parsed as JSON when it was JSON, else the text. */
	body: unknown;
}

interface Waiter {
	predicate: (request: CaughtRequest) => boolean;
	resolve: (request: CaughtRequest) => void;
}

function parseBody(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

/**
 * A tiny HTTP server on 127.0.0.1 that records every request and answers 200 `ok`, as Slack's
 * incoming webhook does: the stand-in for the notification step of the example workflows.
 */
export class Catcher {
	readonly requests: CaughtRequest[] = [];

	private readonly waiters = new Set<Waiter>();

	private readonly server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const text = Buffer.concat(chunks).toString('utf8');
			this.record({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, text, body: parseBody(text) });
			res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
		});
	});

	private constructor() {}

	static async start(): Promise<Catcher> {
		const catcher = new Catcher();
		await new Promise<void>((resolve, reject) => {
			catcher.server.once('error', reject);
			catcher.server.listen(0, '127.0.0.1', resolve);
		});
		return catcher;
	}

	/** Base URL, e.g. `http://127.0.0.1:40123`; any path under it is caught. */
	get url(): string {
		return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
	}

	/**
	 * The first request, already received or still to come, that matches; rejects after
	 * `timeoutMs` naming what did arrive.
	 */
	async waitFor(predicate: (request: CaughtRequest) => boolean, timeoutMs = 30_000): Promise<CaughtRequest> {
		const seen = this.requests.find(predicate);
		if (seen) return seen;
		return await new Promise<CaughtRequest>((resolve, reject) => {
			const waiter: Waiter = {
				predicate,
				resolve: (request) => {
					clearTimeout(timer);
					resolve(request);
				},
			};
			const timer = setTimeout(() => {
				this.waiters.delete(waiter);
				const received = this.requests.map((r) => `${r.method} ${r.path} ${r.text.slice(0, 200)}`);
				reject(
					new Error(
						`catcher: no matching request within ${timeoutMs} ms; received ${received.length}:\n${received.join('\n')}`,
					),
				);
			}, timeoutMs);
			this.waiters.add(waiter);
		});
	}

	async close(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	private record(request: CaughtRequest): void {
		this.requests.push(request);
		for (const waiter of this.waiters) {
			if (!waiter.predicate(request)) continue;
			this.waiters.delete(waiter);
			waiter.resolve(request);
		}
	}
}
