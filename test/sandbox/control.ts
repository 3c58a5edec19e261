import type { ConfigPatch, Fault, PushMode } from './config';
import type { PushTamper } from './pusher';
import type { WeChatSandbox } from './sandbox';

export interface ControlAnswer {
	status: number;
	body: unknown;
}

function parse(body: Buffer): Record<string, unknown> {
	const text = body.toString('utf8').trim();
	const parsed: unknown = text ? JSON.parse(text) : {};
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw new TypeError('the body must be a JSON object');
	}
	return parsed as Record<string, unknown>;
}

/**
 * The control API under /sandbox/, for users in another process (the demo, n8n workflows in e2e):
 * the same operations as the WeChatSandbox methods, in JSON.
 */
export async function controlRequest(
	sandbox: WeChatSandbox,
	method: string,
	path: string,
	body: Buffer,
): Promise<ControlAnswer> {
	const ok = { status: 200, body: { ok: true } };
	try {
		if (method === 'GET' && path === '/sandbox/state') return { status: 200, body: sandbox.snapshot() };
		if (method !== 'POST') return { status: 404, body: { error: `no control endpoint ${method} ${path}` } };
		const json = parse(body);
		const engagement = sandbox.engagement.control(path, json);
		if (engagement !== undefined) return { status: 200, body: engagement };
		switch (path) {
			case '/sandbox/configure':
				sandbox.configure(json as ConfigPatch);
				return { status: 200, body: sandbox.snapshot().config };
			case '/sandbox/faults':
				if (typeof json.path !== 'string') throw new TypeError('path must be a string');
				sandbox.injectFault(json.path, json.fault as Fault, json.times === undefined ? 1 : Number(json.times));
				return ok;
			case '/sandbox/clear-faults':
				sandbox.clearFaults();
				return ok;
			case '/sandbox/reset-counts':
				sandbox.resetCounts();
				return ok;
			case '/sandbox/expire-tokens':
				if (json.afterCalls === undefined) sandbox.expireTokens();
				else sandbox.expireTokensAfter(Number(json.afterCalls));
				return ok;
			case '/sandbox/mark-draft-fails-check':
				if (typeof json.media_id !== 'string') throw new TypeError('media_id must be a string');
				sandbox.markDraftFailsCheck(json.media_id);
				return ok;
			case '/sandbox/push-event': {
				const fields = json.fields as Record<string, unknown> | string;
				if (typeof fields !== 'string' && (typeof fields !== 'object' || fields === null)) {
					throw new TypeError('fields must be an object or an XML string');
				}
				const opts = { mode: json.mode as PushMode, url: json.url as string, tamper: json.tamper as PushTamper };
				return { status: 200, body: await sandbox.pushEvent(fields, opts) };
			}
			default:
				return { status: 404, body: { error: `no control endpoint ${method} ${path}` } };
		}
	} catch (error) {
		return { status: 400, body: { error: (error as Error).message } };
	}
}
