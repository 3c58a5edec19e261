import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

import { OWNER, freePort } from './harness/n8n';
import { repoRoot } from './harness/runtime';

/**
 * `npm run demo` starts (scripts/demo.sh, as a user runs it), prints a working sign-in, loads
 * both examples, wires the sandbox's pushes through the active trigger workflow to the printed
 * Slack stand-in, and Ctrl-C (SIGINT to its process group, as a terminal sends it) stops it all.
 */

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

describe('npm run demo', () => {
	let demo: ChildProcess;
	let output = '';
	let exited: Promise<number | null>;

	async function outputMatching(pattern: RegExp, timeoutMs = 120_000): Promise<RegExpMatchArray> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const match = pattern.exec(output);
			if (match) return match;
			if (Date.now() > deadline || demo.exitCode !== null) {
				throw new Error(`demo output never matched ${pattern}:\n${output.slice(-3000)}`);
			}
			await sleep(100);
		}
	}

	beforeAll(async () => {
		demo = spawn('bash', [path.join(repoRoot, 'scripts/demo.sh')], {
			env: { ...process.env, DEMO_PORT: String(await freePort()) },
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		demo.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
		demo.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
		exited = new Promise((resolve) => demo.once('exit', (code) => resolve(code)));
	});

	afterAll(() => {
		if (demo.exitCode === null) process.kill(-demo.pid!, 'SIGKILL');
	});

	it('starts n8n with both examples, routes a sandbox push to the Slack stand-in, and stops on Ctrl-C', async () => {
		const [, editorUrl] = await outputMatching(/n8n editor\s+(http:\/\/127\.0\.0\.1:\d+)/);
		const [, sandboxUrl] = await outputMatching(/WeChat sandbox\s+(http:\/\/127\.0\.0\.1:\d+)/);
		const [, email, password] = await outputMatching(/sign in\s+(\S+) \/ (\S+)/);
		await outputMatching(/Ctrl-C stops everything/);
		expect({ email, password }).toEqual({ email: OWNER.email, password: OWNER.password });

		const login = await fetch(`${editorUrl}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ emailOrLdapLoginId: email, password }),
		});
		expect(login.status).toBe(200);
		const cookie = login.headers.getSetCookie().find((header) => header.startsWith('n8n-auth='))!.split(';')[0];
		const { data: workflows } = (await (await fetch(`${editorUrl}/rest/workflows`, { headers: { cookie } })).json()) as {
			data: Array<{ name: string; active: boolean }>;
		};
		expect(workflows.map(({ name, active }) => ({ name, active })).sort((a, b) => a.name.localeCompare(b.name))).toEqual([
			{ name: 'Create a draft and publish it, notify on failure', active: false },
			{ name: 'Route publish results: post published links, alert on failures', active: true },
		]);

		// The sandbox pushes to the demo's trigger like WeChat (its callback, safe mode).
		const pushed = await fetch(`${sandboxUrl}/sandbox/push-event`, {
			method: 'POST',
			body: JSON.stringify({
				fields: {
					MsgType: 'event',
					Event: 'PUBLISHJOBFINISH',
					PublishEventInfo: { publish_id: '7700001', publish_status: 2, fail_idx: [1] },
				},
			}),
		});
		expect(await pushed.json()).toEqual({ status: 200, body: 'success' });
		await outputMatching(/\[Slack\] from "Route publish results": WeChat publishing failed: .*publish_id 7700001/);
		await outputMatching(/\[n8n\] "Route publish results" execution \d+: success, output Failed/);

		process.kill(-demo.pid!, 'SIGINT');
		expect(await exited).toBe(0);
		expect(output).toContain('Stopping n8n');
		await expect(fetch(`${editorUrl}/healthz`)).rejects.toThrow();
	});
});
