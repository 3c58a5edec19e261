/**
 * Every answer the nodes read has a deadline over headers and body and a size cap: first
 * requestWithinLimits on n8n's own httpRequest (the axios client n8n 2.41 hands to nodes), then
 * the API client and the token service through the transport, over real sockets.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IHttpRequestOptions } from 'n8n-workflow';

import { createWeChatClient } from '../../nodes/wechat/tokenSources';
import { TokenCache } from '../../nodes/wechat/token';
import { sendThroughN8n } from '../../nodes/WeChatOfficialAccount/transport';
import {
	Deadline,
	DeadlineExceededError,
	requestWithinLimits,
} from '../../nodes/WeChatOfficialAccount/transport/boundedRequest';
import { createHttpRequest } from '../helpers/httpRequest';
import { apiFailure } from '../helpers/wechatApi';

/** n8n's own httpRequest, as n8n-core's helpers call it. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const n8nHttpRequest = (require(require.resolve('@n8n/backend-network').replace(/index\.js$/, 'http/axios/request.js')) as {
	httpRequest: (options: IHttpRequestOptions) => Promise<unknown>;
}).httpRequest;

interface TestServer {
	url: string;
	/** Bytes each response wrote before it ended or was cut off. */
	written: number[];
	/** Whether the client closed a response before its end. */
	cutOff: number;
	close: () => Promise<void>;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, log: (bytes: number) => void) => void;

const servers: TestServer[] = [];

async function serve(handler: Handler): Promise<TestServer> {
	const state = { written: [] as number[], cutOff: 0 };
	const server = http.createServer((req, res) => {
		let bytes = 0;
		res.on('close', () => {
			state.written.push(bytes);
			if (!res.writableFinished) state.cutOff++;
		});
		handler(req, res, (count) => void (bytes += count));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const result: TestServer = {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		get written() {
			return state.written;
		},
		get cutOff() {
			return state.cutOff;
		},
		close: async () => {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		},
	};
	servers.push(result);
	return result;
}

afterEach(async () => {
	await Promise.all(servers.splice(0).map(async (server) => await server.close()));
});

/** Sends `body` one byte every `everyMs`: each byte resets an idle timeout, none reaches the end soon. */
function trickle(body: string, everyMs: number, status = 200): Handler {
	return (_req, res, log) => {
		res.writeHead(status, { 'Content-Type': 'application/json' });
		let index = 0;
		const timer = setInterval(() => {
			if (res.destroyed) return clearInterval(timer);
			res.write(body[index]);
			log(1);
			if (++index === body.length) {
				clearInterval(timer);
				res.end();
			}
		}, everyMs);
		res.on('close', () => clearInterval(timer));
	};
}

/** Streams 1 MiB chunks (no Content-Length) until `totalMiB` or the client leaves. */
function flood(totalMiB: number): Handler {
	const chunk = Buffer.alloc(1024 * 1024, 'a');
	return (_req, res, log) => {
		res.writeHead(200, { 'Content-Type': 'application/json' });
		let sent = 0;
		const more = (): void => {
			while (sent < totalMiB && !res.destroyed) {
				sent++;
				log(chunk.length);
				if (sent === totalMiB) return void res.end(chunk);
				if (!res.write(chunk)) return void res.once('drain', more);
			}
		};
		more();
	};
}

describe('requestWithinLimits on n8n\'s own httpRequest', () => {
	it('a body trickled a byte at a time gets no more time than the deadline, headers included', async () => {
		const server = await serve(trickle('{"errcode":0,"padding":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}', 100));
		const failure = await requestWithinLimits(n8nHttpRequest, { method: 'GET', url: server.url }, { maxBytes: 1024, deadline: new Deadline(500) }).then(
			() => undefined,
			(error: unknown) => error,
		);
		expect(failure).toBeInstanceOf(DeadlineExceededError);
		expect(failure).toMatchObject({ code: 'ETIMEDOUT', answered: true, message: 'the answer did not finish within 0.5 s' });
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect(server.cutOff).toBe(1);
	});

	it('a server that never answers fails at the deadline, saying no answer came', async () => {
		const server = await serve(() => undefined);
		const failure = await requestWithinLimits(n8nHttpRequest, { method: 'GET', url: server.url }, { maxBytes: 1024, deadline: new Deadline(300) }).then(
			() => undefined,
			(error: unknown) => error,
		);
		expect(failure).toMatchObject({ code: 'ETIMEDOUT', answered: false, message: 'no answer came within 0.3 s' });
	});

	it('reads a body only up to the cap, and not at all when Content-Length is beyond it', async () => {
		const streamed = await serve(flood(40));
		const answer = await requestWithinLimits(n8nHttpRequest, { method: 'GET', url: streamed.url }, { maxBytes: 2 * 1024 * 1024, deadline: new Deadline(10_000) });
		expect(answer).toMatchObject({ statusCode: 200, tooLarge: true });
		expect(answer.body.length).toBe(2 * 1024 * 1024);
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect(streamed.cutOff).toBe(1);

		const declared = await serve((_req, res) => void res.writeHead(200, { 'Content-Length': String(500 * 1024 * 1024) }).write('{'));
		const refused = await requestWithinLimits(n8nHttpRequest, { method: 'GET', url: declared.url }, { maxBytes: 1024, deadline: new Deadline(10_000) });
		expect(refused).toMatchObject({ tooLarge: true, body: Buffer.alloc(0) });
	});

	it('returns a whole answer within its limits, any status, redirects not followed', async () => {
		const server = await serve((_req, res) => void res.writeHead(302, { Location: 'http://127.0.0.1:1/elsewhere' }).end('moved'));
		const answer = await requestWithinLimits(n8nHttpRequest, { method: 'GET', url: server.url }, { maxBytes: 1024, deadline: new Deadline(5_000) });
		expect(answer).toMatchObject({ statusCode: 302, tooLarge: false, headers: expect.objectContaining({ location: 'http://127.0.0.1:1/elsewhere' }) });
		expect(answer.body.toString()).toBe('moved');
	});
});

/** A WeChat stand-in: stable_token answers at once, everything else as `handler` says. */
async function wechat(handler: Handler): Promise<TestServer> {
	return await serve((req, res, log) => {
		if (req.url?.startsWith('/cgi-bin/stable_token')) {
			res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"access_token":"token-0123456789abcdef","expires_in":7200}');
			return;
		}
		handler(req, res, log);
	});
}

function client(baseUrl: string, extra: { serviceUrl?: string; timeoutMs?: number } = {}) {
	return createWeChatClient(
		extra.serviceUrl
			? { appId: 'wx0123456789abcdef', baseUrl, authMode: 'tokenService', serviceUrl: extra.serviceUrl }
			: { appId: 'wx0123456789abcdef', appSecret: 'app-secret-0123456789', baseUrl, authMode: 'stable' },
		{ send: sendThroughN8n(createHttpRequest()), sleep: async () => undefined, tokenCache: new TokenCache(), timeoutMs: extra.timeoutMs ?? 500, readRetryDelaysMs: [] },
	);
}

describe('the API client and the token service through the transport', () => {
	it('a write whose answer trickles past the deadline fails with its outcome unknown, never resent', async () => {
		const server = await wechat(trickle('{"errcode":0,"publish_id":"2247483647000000001"}', 100));
		const error = await apiFailure(client(server.url).write('/cgi-bin/freepublish/submit', { body: { media_id: 'm' }, expect: ['publish_id'] }));
		expect(error.message).toMatch(/failed during \/cgi-bin\/freepublish\/submit \(ETIMEDOUT\)\. The outcome is unknown and the request was NOT resent/);
		expect(error.description).toMatch(/the answer did not finish within 0\.5 s/);
		expect(error.outcomeUnknown).toBe(true);
		await new Promise((resolve) => setTimeout(resolve, 50));
		// The token, then the submit: once.
		expect(server.written.length).toBe(2);
	});

	it('an API answer beyond the size cap is not read whole, and the call says why', async () => {
		const server = await wechat(flood(80));
		const error = await apiFailure(client(server.url, { timeoutMs: 60_000 }).read('GET', '/cgi-bin/draft/count'));
		expect(error.message).toMatch(/to \/cgi-bin\/draft\/count is larger than 64 MB, far more than WeChat sends; the node stopped reading it/);
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect(server.cutOff).toBeGreaterThanOrEqual(1);
		expect(Math.max(...server.written)).toBeLessThan(80 * 1024 * 1024);
	});

	it('a token service trickling its answer, or sending too much, fails before anything goes to WeChat', async () => {
		const api = await wechat((_req, res) => void res.writeHead(200).end('{"errcode":0,"total_count":0}'));
		const slow = await serve(trickle('{"access_token":"service-token-0123456789","expires_in":7200}', 100));
		const slowError = await apiFailure(client(api.url, { serviceUrl: `${slow.url}/token` }).read('GET', '/cgi-bin/draft/count'));
		expect(slowError.message).toBe(
			'The token service did not send its whole answer in time (ETIMEDOUT); nothing was sent to WeChat. Check that the service runs and answers promptly.',
		);
		const big = await serve(flood(4));
		const bigError = await apiFailure(client(api.url, { serviceUrl: `${big.url}/token` }).read('GET', '/cgi-bin/draft/count'));
		expect(bigError.message).toMatch(/^The token service answered HTTP 200 with more than 64 KB, far more than a token; the node stopped reading it\. Nothing was sent to WeChat/);
		expect(api.written.length).toBe(0);
	});
});
