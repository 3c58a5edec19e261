import { setMaxListeners } from 'node:events';
import { createServer, STATUS_CODES } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { applyConfigPatch, initialConfig, publicConfig, PUSH_MODES } from './config';
import type { ConfigPatch, Fault, PushMode, SandboxConfig } from './config';
import { controlRequest } from './control';
import { Engagement } from './engagement';
import { WeChatApiError, withRid } from './errors';
import { FaultQueue } from './faults';
import { MassSender } from './massSend';
import type { MassSend } from './massSend';
import { deliver, deliverLikeWeChat, envelope, PUSH_TAMPERS, signPush, toXml } from './pusher';
import type { PushAnswer, PushTamper } from './pusher';
import { apiRoutes, publicPage, tokenRoutes } from './routes';
import type { RouteAnswer, RouteDeps } from './routes';
import { SandboxState } from './state';
import type { PublishJob } from './state';
import { TokenStore } from './tokens';

/** Above WeChat's largest upload (10 MB image material); larger bodies are cut off. */
const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

export interface PushRecord {
	publishId: string;
	/** The publish_status pushed. */
	status: number;
	/** 1, 2, 3 for WeChat's tries, then on for the configured duplicate deliveries. */
	attempt: number;
	/** The callback's HTTP status, 0 when none came (refused, reset, timed out). */
	httpStatus: number;
	body: string;
	mode: string;
}

/** One try of a MASSSENDJOBFINISH push. */
export interface MassPushRecord {
	msgId: string;
	/** The Status pushed: `send success`, `send fail` or `err(N)`. */
	status: string;
	attempt: number;
	httpStatus: number;
	body: string;
	mode: string;
}

export interface SandboxStats {
	issuedTokens: { stable: number; classic: number; component: number; authorizer: number };
	/** Accepted submits (jobs created). */
	submits: number;
	/** Tokens retired early: superseded (after their grace) or expired by expireTokens(). */
	invalidatedTokens: number;
}

export type StartOptions = ConfigPatch & {
	port?: number;
	host?: string;
	/** The clock of token lifetimes, grace periods and refresh limits (ms), so tests can move time. */
	now?: () => number;
};

/** A local emulator of the WeChat Official Account API (see test/sandbox/README.md). */
export class WeChatSandbox {
	readonly config: SandboxConfig;
	readonly pushes: PushRecord[] = [];
	readonly massPushes: MassPushRecord[] = [];
	private readonly state: SandboxState;
	/** Statistics and comments of what the account published or mass-sent. */
	readonly engagement: Engagement;
	private readonly mass: MassSender;
	private readonly tokens: TokenStore;
	private readonly faults = new FaultQueue();
	private readonly requestCounts = new Map<string, number>();
	private readonly routes: { token: ReturnType<typeof tokenRoutes>; api: ReturnType<typeof apiRoutes> };
	private readonly timers = new Map<NodeJS.Timeout, (fired: boolean) => void>();
	private readonly work = new Set<Promise<unknown>>();
	private readonly aborter = new AbortController();
	private submits = 0;
	private baseUrl = '';
	/** API calls still answered before every token expires (expireTokensAfter). */
	private callsBeforeExpiry?: number;

	private constructor(
		config: SandboxConfig,
		private readonly server: Server,
		now: () => number,
	) {
		// Every push in flight listens on the one close() signal; bursts of 50+ are normal in tests.
		setMaxListeners(0, this.aborter.signal);
		this.config = config;
		this.state = new SandboxState(config, () => this.baseUrl);
		this.tokens = new TokenStore(config, now);
		const deps: RouteDeps = {
			config,
			state: this.state,
			tokens: this.tokens,
			onSubmit: (job) => this.schedule(job),
			settleIfDue: (job) => {
				if (Date.now() - job.submittedAt >= job.delayMs) this.finishJob(job);
			},
		};
		this.mass = new MassSender(config, this.state, (send) => this.scheduleMassSend(send));
		this.mass.settle = (send) => this.finishMassSend(send);
		this.engagement = new Engagement(() => [...this.state.publications(), ...this.mass.publications()]);
		this.routes = { token: tokenRoutes(deps), api: new Map([...apiRoutes(deps), ...this.mass.routes(), ...this.engagement.routes()]) };
		server.on('request', (req: IncomingMessage, res: ServerResponse) => {
			this.handle(req, res).catch((error: Error) => {
				if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
				res.end(`sandbox error: ${error.message}`);
			});
		});
	}

	static async start(options: StartOptions = {}): Promise<WeChatSandbox> {
		const { port = 0, host = '127.0.0.1', now = Date.now, ...patch } = options;
		const server = createServer();
		const sandbox = new WeChatSandbox(initialConfig(patch), server, now);
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, host, () => resolve());
		});
		const address = server.address() as AddressInfo;
		sandbox.baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
		return sandbox;
	}

	get url(): string {
		return this.baseUrl;
	}

	get stats(): SandboxStats {
		return {
			issuedTokens: { ...this.tokens.issued },
			submits: this.submits,
			invalidatedTokens: this.tokens.invalidated,
		};
	}

	configure(patch: ConfigPatch): void {
		for (const start of [patch.publishIdStart, patch.massSend?.msgIdStart]) {
			if (start !== undefined && !/^[1-9]\d*$/.test(start)) throw new TypeError('publishIdStart and msgIdStart must be strings of digits');
		}
		applyConfigPatch(this.config, patch);
		if (patch.publishIdStart !== undefined) this.state.restartPublishIds(patch.publishIdStart);
		if (patch.massSend?.msgIdStart !== undefined) this.mass.restartMsgIds(patch.massSend.msgIdStart);
	}

	injectFault(path: string, fault: Fault, times = 1): void {
		this.faults.inject(path, fault, times);
	}

	/** Drops every fault still waiting, for a sandbox shared between tests. */
	clearFaults(): void {
		this.faults.clear();
	}

	count(path: string): number {
		return this.requestCounts.get(path) ?? 0;
	}

	counts(): Record<string, number> {
		return Object.fromEntries(this.requestCounts);
	}

	resetCounts(): void {
		this.requestCounts.clear();
	}

	expireTokens(): void {
		this.tokens.expireAll();
	}

	/** The next `calls` API calls are answered as usual; then every token expires (a token running out mid-batch). */
	expireTokensAfter(calls: number): void {
		this.callsBeforeExpiry = calls;
	}

	/** The media_ids of the permanent images (add_material) not deleted. */
	permanentImageIds(): string[] {
		return this.state.permanentImageIds();
	}

	markDraftFailsCheck(mediaId: string): void {
		this.state.markDraftFailsCheck(mediaId);
	}

	/**
	 * Pushes any message to the callback, signed (and encrypted) like WeChat; one delivery, no retry.
	 * An object gets ToUserName, FromUserName and CreateTime unless it has them.
	 */
	pushEvent(
		fields: Record<string, unknown> | string,
		opts: { mode?: PushMode; url?: string; tamper?: PushTamper } = {},
	): Promise<PushAnswer> {
		const url = opts.url ?? this.config.callback?.url;
		if (!url) throw new TypeError('pushEvent needs a url, or config.callback');
		const mode = opts.mode ?? this.config.callback?.mode ?? 'plain';
		if (!PUSH_MODES.includes(mode)) throw new TypeError(`mode must be one of ${PUSH_MODES.join(', ')}`);
		if (opts.tamper !== undefined && !PUSH_TAMPERS.includes(opts.tamper)) {
			throw new TypeError(`tamper must be one of ${PUSH_TAMPERS.join(', ')}`);
		}
		const xml = typeof fields === 'string' ? fields : toXml(envelope(fields));
		return this.track(deliver(url, signPush(xml, mode, this.config, opts.tamper), this.config.pushTimeoutMs, this.aborter.signal));
	}

	/** Resolves when no job is waiting for its delay and no push is under way. */
	async idle(): Promise<void> {
		while (this.work.size > 0) await Promise.allSettled([...this.work]);
	}

	/** The whole state for the control API: config without the AppSecret. */
	snapshot(): Record<string, unknown> {
		return {
			url: this.url,
			counts: this.counts(),
			stats: this.stats,
			jobs: [...this.state.jobs.values()].map((job) => ({
				...this.state.jobResult(job),
				media_id: job.mediaId,
				msg_data_id: job.msgDataId,
			})),
			pushes: this.pushes,
			...this.mass.snapshot(),
			massPushes: this.massPushes,
			faults: this.faults.list(),
			config: publicConfig(this.config),
		};
	}

	async close(): Promise<void> {
		this.aborter.abort();
		for (const [timer, settle] of this.timers) {
			clearTimeout(timer);
			settle(false);
		}
		this.timers.clear();
		await new Promise<void>((resolve) => {
			this.server.close(() => resolve());
			this.server.closeAllConnections();
		});
		await this.idle();
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
		const path = url.pathname;
		const control = path.startsWith('/sandbox/');
		if (!control) this.requestCounts.set(path, this.count(path) + 1);
		const body = await readBody(req);
		if (!body) {
			res.writeHead(413, { 'Content-Type': 'text/plain', Connection: 'close' }).end('request body too large');
			return;
		}
		if (control) {
			const answer = await controlRequest(this, req.method ?? 'GET', path, body);
			res.writeHead(answer.status, { 'Content-Type': 'application/json; charset=utf-8' });
			res.end(JSON.stringify(answer.body));
			return;
		}
		const fault = this.faults.take(path);
		if (fault && 'dropAnswer' in fault) {
			this.route(req.method ?? 'GET', path, url.searchParams, body, req.headers['content-type']);
			req.socket.destroy();
			return;
		}
		if (fault && 'delayMs' in fault) {
			if (!(await this.after(fault.delayMs))) return;
		} else if (fault) {
			sendFault(req, res, fault);
			return;
		}
		send(res, this.route(req.method ?? 'GET', path, url.searchParams, body, req.headers['content-type']));
	}

	private route(method: string, path: string, query: URLSearchParams, body: Buffer, contentType?: string): RouteAnswer {
		const request = { method, query, body, contentType };
		try {
			const tokenRoute = this.routes.token.get(path);
			if (tokenRoute) return tokenRoute(request);
			const apiRoute = this.routes.api.get(path);
			if (apiRoute) {
				if (this.callsBeforeExpiry !== undefined && this.callsBeforeExpiry-- <= 0) {
					this.callsBeforeExpiry = undefined;
					this.tokens.expireAll();
				}
				this.tokens.check(query.get('access_token') ?? undefined);
				return apiRoute(request);
			}
			return publicPage(this.state, path, query) ?? { errcode: 40066, errmsg: withRid('invalid url') };
		} catch (error) {
			if (error instanceof WeChatApiError) return { errcode: error.errcode, errmsg: withRid(error.errmsg) };
			throw error;
		}
	}

	private schedule(job: PublishJob): void {
		this.submits++;
		this.track(this.after(job.delayMs).then((fired) => fired && this.finishJob(job)));
	}

	private finishJob(job: PublishJob): void {
		if (!this.state.finish(job) || !this.config.callback) return;
		this.track(this.pushResult(job, this.config.callback));
	}

	private scheduleMassSend(send: MassSend): void {
		this.track(this.after(send.delayMs).then((fired) => fired && this.finishMassSend(send)));
	}

	private finishMassSend(send: MassSend): void {
		const fields = this.mass.finish(send);
		const callback = this.config.massSend.callback ?? this.config.callback;
		if (!fields || !callback) return;
		let attempt = 0;
		const record = (answer: PushAnswer) =>
			this.massPushes.push({ msgId: send.msgId, status: String(fields.Status), attempt: ++attempt, httpStatus: answer.status, body: answer.body, mode: callback.mode });
		this.track(this.deliverPush(envelope(fields), callback, record));
	}

	/** PUBLISHJOBFINISH as WeChat pushes it: up to three tries, then the configured duplicates. */
	private async pushResult(job: PublishJob, callback: NonNullable<SandboxConfig['callback']>): Promise<void> {
		const { publish_id, publish_status, ...info } = this.state.jobResult(job);
		const event = envelope({
			MsgType: 'event',
			Event: 'PUBLISHJOBFINISH',
			PublishEventInfo: { publish_id: BigInt(publish_id), publish_status, ...info },
		});
		let attempt = 0;
		const record = (answer: PushAnswer) =>
			this.pushes.push({
				publishId: job.publishId,
				status: job.status,
				attempt: ++attempt,
				httpStatus: answer.status,
				body: answer.body,
				mode: callback.mode,
			});
		await this.deliverPush(event, callback, record);
	}

	/** A push as WeChat delivers it: up to three tries, then the configured duplicates. */
	private async deliverPush(
		event: Record<string, unknown>,
		callback: NonNullable<SandboxConfig['callback']>,
		record: (answer: PushAnswer) => void,
	): Promise<void> {
		const push = signPush(toXml(event), callback.mode, this.config);
		await deliverLikeWeChat(callback.url, push, this.config.pushTimeoutMs, this.aborter.signal, record);
		for (let extra = 0; extra < this.config.duplicatePushes && !this.aborter.signal.aborted; extra++) {
			record(await deliver(callback.url, push, this.config.pushTimeoutMs, this.aborter.signal));
		}
	}

	/** A timer cleared by close(); resolves true when it fired, false when the sandbox closed first. */
	private after(ms: number): Promise<boolean> {
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				this.timers.delete(timer);
				resolve(true);
			}, ms);
			this.timers.set(timer, resolve);
		});
	}

	private track<T>(promise: Promise<T>): Promise<T> {
		this.work.add(promise);
		const forget = () => this.work.delete(promise);
		promise.then(forget, forget);
		return promise;
	}
}

/** The whole body, or undefined when it exceeds MAX_REQUEST_BYTES. */
function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > MAX_REQUEST_BYTES) {
				req.removeAllListeners('data');
				req.resume();
				resolve(undefined);
			} else {
				chunks.push(chunk);
			}
		});
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

function send(res: ServerResponse, answer: RouteAnswer): void {
	if ('raw' in answer && typeof answer.raw === 'object') {
		const { status, contentType, body } = answer.raw as { status: number; contentType: string; body: string | Buffer };
		res.writeHead(status, { 'Content-Type': contentType }).end(body);
		return;
	}
	// WeChat's own Content-Type, odd parameter included.
	res.writeHead(200, { 'Content-Type': 'application/json; encoding=utf-8' }).end(JSON.stringify(answer));
}

function sendFault(req: IncomingMessage, res: ServerResponse, fault: Exclude<Fault, { delayMs: number } | { dropAnswer: true }>): void {
	if ('reset' in fault) {
		req.socket.destroy();
	} else if ('errcode' in fault) {
		send(res, { errcode: fault.errcode, errmsg: withRid(fault.errmsg ?? 'sandbox fault') });
	} else if ('html' in fault) {
		res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
		res.end('<!DOCTYPE html><html><head><meta charset="utf-8"><title>系统错误</title></head><body><p>系统繁忙，请稍后再试 (system busy)</p></body></html>');
	} else {
		const reason = `${fault.httpStatus} ${STATUS_CODES[fault.httpStatus] ?? ''}`.trim();
		const body = fault.body ?? `<html><head><title>${reason}</title></head><body><center><h1>${reason}</h1></center><hr><center>nginx</center></body></html>`;
		res.writeHead(fault.httpStatus, {
			'Content-Type': fault.body?.startsWith('{') ? 'application/json' : 'text/html',
			...(fault.location ? { Location: fault.location } : {}),
		});
		res.end(body);
	}
}
