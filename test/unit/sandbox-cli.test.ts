/**
 * `npm run sandbox` stops on SIGINT sent to npm (what a terminal's Ctrl-C or a process manager
 * does): npm passes the signal to its child only, so the script must be that child.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

it('stops the sandbox, and npm with it, on SIGINT to npm', async () => {
	// Started in the background, as a process manager would: SIGINT must still reach the sandbox.
	const npm = spawn('npm', ['run', '--silent', 'sandbox', '--', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
	try {
		const url = await new Promise<string>((resolve, reject) => {
			let output = '';
			npm.stdout.on('data', (chunk: Buffer) => {
				output += chunk.toString();
				const listening = /WeChat sandbox listening on (\S+)/.exec(output);
				if (listening) resolve(listening[1]);
			});
			npm.once('exit', (code) => reject(new Error(`npm run sandbox exited (${code}) before listening: ${output}`)));
		});
		const exited = new Promise<void>((resolve) => npm.once('exit', () => resolve()));
		npm.kill('SIGINT');
		await exited;
		// The sandbox went with it: its port no longer answers.
		await expect(fetch(`${url}/sandbox/state`)).rejects.toThrow();
	} finally {
		if (npm.exitCode === null) npm.kill('SIGKILL');
	}
}, 60_000);
