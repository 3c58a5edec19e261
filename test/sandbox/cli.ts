/**
 * `npm run sandbox`: the WeChat sandbox as a standalone server on 127.0.0.1, for the demo and
 * for trying the nodes by hand. Options: --port N (or SANDBOX_PORT), --callback-url URL,
 * --callback-mode plain|compatible|safe.
 */
import { parseArgs } from 'node:util';

import { PUSH_MODES } from './config';
import type { PushMode } from './config';
import { WeChatSandbox } from './sandbox';

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			port: { type: 'string' },
			'callback-url': { type: 'string' },
			'callback-mode': { type: 'string', default: 'plain' },
		},
	});
	const port = Number(values.port ?? process.env.SANDBOX_PORT ?? 0);
	if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port: ${values.port ?? process.env.SANDBOX_PORT}`);
	const mode = values['callback-mode'] as PushMode;
	if (!PUSH_MODES.includes(mode)) throw new Error(`--callback-mode must be one of ${PUSH_MODES.join(', ')}`);
	const callbackUrl = values['callback-url'];

	const sandbox = await WeChatSandbox.start({
		port,
		...(callbackUrl ? { callback: { url: callbackUrl, mode } } : {}),
	});
	const { config } = sandbox;
	// These are the sandbox's fixed test credentials, not secrets of any real account.
	process.stdout.write(
		[
			`WeChat sandbox listening on ${sandbox.url}`,
			'Credential "WeChat Official Account API" for it:',
			`  Base URL        ${sandbox.url}`,
			`  AppID           ${config.appId}`,
			`  AppSecret       ${config.appSecret}`,
			`  Token           ${config.token}`,
			`  EncodingAESKey  ${config.encodingAesKey}`,
			`PUBLISHJOBFINISH pushes: ${config.callback ? `${config.callback.mode} mode to ${config.callback.url}` : 'off (--callback-url)'}`,
			`Control API: GET ${sandbox.url}/sandbox/state, POST /sandbox/configure, /sandbox/faults, /sandbox/reset-counts, /sandbox/expire-tokens`,
			'',
		].join('\n'),
	);

	const stop = () => {
		sandbox.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

main().catch((error: Error) => {
	process.stderr.write(`sandbox: ${error.message}\n`);
	process.exit(1);
});
