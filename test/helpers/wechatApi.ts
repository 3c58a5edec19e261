/** Shared bits of the tests of the API client, the transport and the credential. */
import { createServer } from 'node:net';

import { WeChatApiError } from '../../nodes/wechat/api';

/** A 1×1 PNG: passes the sandbox's image checks. */
export const ONE_PIXEL_PNG = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
	'base64',
);

/** The WeChatApiError a call rejects with; fails the test when it resolves or rejects with anything else. */
export async function apiFailure(promise: Promise<unknown>): Promise<WeChatApiError> {
	const outcome = await promise.then(
		() => undefined,
		(error: unknown) => error,
	);
	expect(outcome).toBeInstanceOf(WeChatApiError);
	return outcome as WeChatApiError;
}

/** A loopback port nothing listens on: bound, then closed. */
export async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}
