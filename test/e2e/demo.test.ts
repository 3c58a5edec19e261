import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

import { OWNER, freePort } from './harness/n8n';
import { repoRoot } from './harness/runtime';

/**
 * `npm run demo` starts as a user runs it, prints a working sign-in, loads the examples (and the
 * demo's failure-path copy), wires the sandbox's pushes through the active trigger workflow to the
 * printed Slack stand-in, and SIGTERM to the npm process alone (as a process manager or a script
 * sends it: npm passes it to its child only) stops n8n, the sandbox and the stand-in.
 */

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

/** The process ids below `root`, read from /proc (a process's parent is field 4 of its stat). */
function descendants(root: number): number[] {
	const children = new Map<number, number[]>();
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
		} catch {
			// gone while listing
		}
	}
	const found: number[] = [];
	const visit = (pid: number) => (children.get(pid) ?? []).forEach((child) => (found.push(child), visit(child)));
	visit(root);
	return found;
}

/** Whether a process still runs (a zombie waiting for its parent counts as gone). */
function running(pid: number): boolean {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
	} catch {
		return false;
	}
}

describe('npm run demo', () => {
	let demo: ChildProcess;
	let output = '';
	let exited: Promise<number | null>;
	let children: number[] = [];

	async function outputMatching(pattern: RegExp, timeoutMs = 180_000): Promise<RegExpMatchArray> {
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
		// Its own process group only so that afterAll can clean up after a failed test.
		demo = spawn('npm', ['run', 'demo'], {
			cwd: repoRoot,
			env: { ...process.env, DEMO_PORT: String(await freePort()) },
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		demo.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
		demo.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
		exited = new Promise((resolve) => demo.once('exit', (code) => resolve(code)));
	});

	afterAll(() => {
		for (const pid of children.filter(running)) process.kill(pid, 'SIGKILL');
		if (demo.exitCode === null) process.kill(-demo.pid!, 'SIGKILL');
	});

	it('starts n8n with the examples, routes a sandbox push to the Slack stand-in, and stops on SIGTERM to npm', async () => {
		const [, editorUrl] = await outputMatching(/n8n editor\s+(http:\/\/127\.0\.0\.1:\d+)/);
		const [, sandboxUrl] = await outputMatching(/WeChat sandbox\s+(http:\/\/127\.0\.0\.1:\d+)/);
		const [, slackUrl] = await outputMatching(/Slack stand-in\s+(http:\/\/127\.0\.0\.1:\d+)/);
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
			{ name: 'Comment inbox: new reader comments to a moderator', active: false },
			{ name: 'Create a draft and publish it, notify on failure', active: false },
			{ name: 'Create a draft and publish it, notify on failure (the sandbox rejects this draft)', active: false },
			{ name: 'Create a draft for review (nothing is published)', active: false },
			{ name: 'Mass-send an article after a reviewer approves it, post the result', active: true },
			{ name: 'Route publish results: post published links, alert on failures', active: true },
			{ name: 'Weekly report: article reads and shares to the team chat', active: false },
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
		await outputMatching(/\[Slack\] from "Route publish results": WeChat did not publish article 1: .*publish_id 7700001/);
		await outputMatching(/\[n8n\] "Route publish results" execution \d+: success, output Failed/);

		children = descendants(demo.pid!);
		const commands = children.map((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '));
		expect(commands).toEqual(expect.arrayContaining([expect.stringContaining('scripts/demo/demo.ts'), expect.stringMatching(/n8n start/)]));

		process.kill(demo.pid!, 'SIGTERM');
		expect(await exited).toBe(0);
		expect(output).toContain('Stopping n8n');
		const deadline = Date.now() + 10_000;
		while (children.some(running) && Date.now() < deadline) await sleep(100);
		expect(children.filter(running).map((pid) => commands[children.indexOf(pid)])).toEqual([]);
		for (const url of [editorUrl, sandboxUrl, slackUrl]) await expect(fetch(url)).rejects.toThrow();
	});
});
