/**
 * How the API client reads answers that are not plain successes, against the sandbox over real
 * HTTP through n8n's helper semantics: redirects, the host named after failover, redaction before
 * truncation, the ID a success must hold, the kind of call stated by the caller.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { WeChatClient, WeChatClientOptions } from '../../nodes/wechat/api';
import { createWeChatClient } from '../../nodes/wechat/tokenSources';
import { TokenCache } from '../../nodes/wechat/token';
import { sendThroughN8n } from '../../nodes/WeChatOfficialAccount/transport';
import { createHttpRequest } from '../helpers/httpRequest';
import { apiFailure, closedPort } from '../helpers/wechatApi';
import { WeChatSandbox } from '../sandbox';

const SUBMIT = '/cgi-bin/freepublish/submit';

let sandbox: WeChatSandbox;
let sleeps: number[];

beforeEach(async () => {
	sandbox = await WeChatSandbox.start({ publish: { delayMs: 60_000 } });
	sleeps = [];
});

afterEach(async () => {
	await sandbox.close();
});

function client(overrides: Partial<WeChatClientOptions> & { baseUrl?: string } = {}): WeChatClient {
	const { baseUrl = sandbox.url, ...options } = overrides;
	return createWeChatClient(
		{ appId: sandbox.config.appId, appSecret: sandbox.config.appSecret, baseUrl, authMode: 'stable' },
		{
			send: sendThroughN8n(createHttpRequest()),
			sleep: async (ms) => void sleeps.push(ms),
			tokenCache: new TokenCache(),
			...options,
		},
	);
}

/** A server that records every request and answers 200 `{"errcode":0,"publish_id":"1"}`. */
async function recorder(): Promise<{ url: string; requests: string[]; close: () => Promise<void> }> {
	const requests: string[] = [];
	const server = http.createServer((req, res) => {
		requests.push(`${req.method} ${req.url}`);
		res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"errcode":0,"publish_id":"1"}');
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		requests,
		close: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

describe('redirects', () => {
	it.each([307, 308, 302])('HTTP %i on a write: not followed, an error whose outcome is unknown, sent once', async (status) => {
		const elsewhere = await recorder();
		try {
			const api = client();
			await api.read('GET', '/cgi-bin/draft/count');
			sandbox.injectFault(SUBMIT, { httpStatus: status, location: `${elsewhere.url}/steal?x=1` }, 5);
			const error = await apiFailure(api.write(SUBMIT, { body: { media_id: 'm' } }));
			expect(error.message).toMatch(
				new RegExp(`^WeChat \\(127\\.0\\.0\\.1:\\d+\\) answered /cgi-bin/freepublish/submit with a redirect \\(HTTP ${status} to http://127\\.0\\.0\\.1:\\d+/steal\\?x=1\\), which the node does not follow`),
			);
			expect(error.outcomeUnknown).toBe(true);
			expect(error.httpStatus).toBe(status);
			expect(elsewhere.requests).toEqual([]);
			expect(sandbox.count(SUBMIT)).toBe(1);
		} finally {
			await elsewhere.close();
		}
	});

	it('a redirect to a refused address is no "nothing was sent": no failover, no resend', async () => {
		const primary = sandbox.url;
		const api = client({ defaultHost: primary, fallbackHost: sandbox.url });
		await api.read('GET', '/cgi-bin/draft/count');
		sandbox.injectFault(SUBMIT, { httpStatus: 307, location: `http://127.0.0.1:${await closedPort()}/x` }, 5);
		const error = await apiFailure(api.write(SUBMIT, { body: { media_id: 'm' } }));
		expect(error.message).not.toMatch(/nothing was sent/);
		expect(error.outcomeUnknown).toBe(true);
		expect(sandbox.count(SUBMIT)).toBe(1);
	});

	it('a read is not redirected either (the access token would travel with it)', async () => {
		const elsewhere = await recorder();
		try {
			sandbox.injectFault('/cgi-bin/draft/count', { httpStatus: 301, location: `${elsewhere.url}/cgi-bin/draft/count` }, 5);
			const error = await apiFailure(client().read('GET', '/cgi-bin/draft/count'));
			expect(error.message).toMatch(/with a redirect \(HTTP 301/);
			expect(error.outcomeUnknown).toBe(false);
			expect(elsewhere.requests).toEqual([]);
		} finally {
			await elsewhere.close();
		}
	});
});

describe('after failover', () => {
	it('an answer of the fallback host names that host, not the default one', async () => {
		const primary = `http://127.0.0.1:${await closedPort()}`;
		const api = client({ baseUrl: primary, defaultHost: primary, fallbackHost: sandbox.url });
		await api.read('GET', '/cgi-bin/draft/count');
		sandbox.injectFault(SUBMIT, { httpStatus: 502 });
		const error = await apiFailure(api.write(SUBMIT, { body: { media_id: 'm' } }));
		const fallbackHost = new URL(sandbox.url).host;
		const primaryHost = new URL(primary).host;
		expect(error.message).toBe(
			`WeChat (${fallbackHost}, the fallback after ${primaryHost} failed with ECONNREFUSED) answered HTTP 502 to ${SUBMIT}. The outcome is unknown and the request was NOT resent: check on the WeChat platform before running it again.`,
		);
		sandbox.injectFault(SUBMIT, { errcode: 53503 });
		const errcode = await apiFailure(api.write(SUBMIT, { body: { media_id: 'm' } }));
		expect(errcode.message).toContain(`(answered by ${fallbackHost}, the fallback after ${primaryHost} failed with ECONNREFUSED)`);
	});
});

describe('redaction before truncation', () => {
	it('a token echoed across the 200-character cut leaks no prefix', async () => {
		const api = client();
		const token = await api.accessToken();
		expect(token.length).toBeGreaterThan(20);
		sandbox.injectFault('/cgi-bin/draft/count', { httpStatus: 500, body: `${'x'.repeat(190)}${token}` }, 5);
		const error = await apiFailure(api.read('GET', '/cgi-bin/draft/count'));
		expect(error.description).toBe(`${'x'.repeat(190)}***`);
		expect(error.description).not.toContain(token.slice(0, 10));
	});

	it('the AppSecret cut by the limit is scrubbed too', async () => {
		const secret = sandbox.config.appSecret;
		sandbox.injectFault(SUBMIT, { httpStatus: 200, body: `${' '.repeat(195)}${secret}` });
		const error = await apiFailure(client().write(SUBMIT, { body: {} }));
		expect(error.description).not.toContain(secret.slice(0, 5));
	});
});

describe('the kind of a call is what the caller says', () => {
	it('write() sends once whatever the endpoint; read() retries whatever the endpoint', async () => {
		const api = client();
		await api.read('GET', '/cgi-bin/draft/count');
		sandbox.injectFault('/cgi-bin/draft/count', { httpStatus: 503 }, 10);
		await apiFailure(api.write('/cgi-bin/draft/count', {}));
		expect(sandbox.count('/cgi-bin/draft/count')).toBe(2);
		expect(sleeps).toEqual([]);
		sandbox.clearFaults();
		sandbox.injectFault('/cgi-bin/freepublish/get', { httpStatus: 503 }, 10);
		await apiFailure(api.read('POST', '/cgi-bin/freepublish/get', { body: { publish_id: '1' } }));
		expect(sandbox.count('/cgi-bin/freepublish/get')).toBe(3);
	});

	it('a read missing the field it expects fails without outcomeUnknown', async () => {
		sandbox.injectFault('/cgi-bin/draft/count', { httpStatus: 200, body: '{"errcode":0}' });
		const error = await apiFailure(client().read('GET', '/cgi-bin/draft/count', { expect: ['total_count'] }));
		expect(error.message).toMatch(/sent no total_count\.$/);
		expect(error.outcomeUnknown).toBe(false);
	});
});
