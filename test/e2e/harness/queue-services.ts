import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort } from './n8n';
import { repoRoot } from './runtime';

/**
 * PostgreSQL and Redis for n8n's queue mode: Debian's servers, started on loopback ports under a
 * temporary folder, with nothing persisted. n8n supports queue mode officially on PostgreSQL only
 * (on SQLite it warns "Scaling mode is not officially supported"), so the processes share one.
 */
export interface QueueServices {
	postgres: { host: string; port: number; user: string; database: string };
	redis: { host: string; port: number };
	/** Stops both servers and removes their data. */
	stop(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';
const DB_USER = 'n8n';
const DB_NAME = 'n8n';
const READY_TIMEOUT_MS = 60_000;

interface ManagedProcess {
	name: string;
	child: ChildProcess;
	log: () => string;
	/** The signal that shuts the server down cleanly (PostgreSQL: SIGINT is its fast shutdown). */
	stopSignal: NodeJS.Signals;
}

type Owner = { uid?: number; gid?: number };

/** Installs the servers when missing (scripts/queue-mode.sh ensure) and starts both. */
export async function startQueueServices(): Promise<QueueServices> {
	const postgresBin = execFileSync('bash', [join(repoRoot, 'scripts/queue-mode.sh'), 'ensure'], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
	}).trim();
	// PostgreSQL refuses to run as root: as root, the data belongs to Debian's `postgres` user,
	// which must reach it, so under /tmp whatever TMPDIR says.
	const owner: Owner = process.getuid?.() === 0 ? postgresUser() : {};
	const root = mkdtempSync(join(owner.uid !== undefined ? '/tmp' : tmpdir(), 'wechat-queue-'));
	const started: ManagedProcess[] = [];
	// The servers run in their own process groups, so a Ctrl-C reaches only this process, which
	// stops n8n before the databases; they die with it if it exits without stopping them.
	const killOnExit = () => {
		for (const { child } of started) child.kill('SIGKILL');
	};
	process.on('exit', killOnExit);
	const stop = async () => {
		await stopAll(started);
		process.off('exit', killOnExit);
		rmSync(root, { recursive: true, force: true });
	};
	try {
		const redisPort = await freePort();
		const redis = spawnLogged('redis', 'redis-server', [
			'--port', String(redisPort),
			'--bind', LOOPBACK,
			'--save', '',
			'--appendonly', 'no',
			'--daemonize', 'no',
			'--dir', root,
		], {});
		started.push(redis);

		if (owner.uid !== undefined) chownSync(root, owner.uid, owner.gid!);
		const dataDir = join(root, 'postgres');
		execFileSync(join(postgresBin, 'initdb'), ['-D', dataDir, '-U', DB_USER, '--auth=trust', '-E', 'UTF8', '--no-sync'], {
			...owner,
			stdio: 'pipe',
		});
		const postgresPort = await freePort();
		const postgres = spawnLogged('postgres', join(postgresBin, 'postgres'), [
			'-D', dataDir,
			'-k', root,
			'-p', String(postgresPort),
			'-c', `listen_addresses=${LOOPBACK}`,
			// Test data: durability is not wanted, speed is.
			'-c', 'fsync=off',
			'-c', 'synchronous_commit=off',
			'-c', 'full_page_writes=off',
			'-c', 'max_connections=200',
		], owner);
		postgres.stopSignal = 'SIGINT';
		started.push(postgres);

		await waitForLog(redis, /Ready to accept connections/);
		await waitForLog(postgres, /database system is ready to accept connections/);
		execFileSync(join(postgresBin, 'createdb'), ['-h', LOOPBACK, '-p', String(postgresPort), '-U', DB_USER, DB_NAME]);
		return {
			postgres: { host: LOOPBACK, port: postgresPort, user: DB_USER, database: DB_NAME },
			redis: { host: LOOPBACK, port: redisPort },
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}

function postgresUser(): Owner {
	const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
	const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
	return { uid, gid };
}

function spawnLogged(name: string, command: string, args: string[], owner: Owner): ManagedProcess {
	const child = spawn(command, args, { ...owner, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
	let output = '';
	const append = (chunk: Buffer) => {
		output = (output + chunk.toString()).slice(-20_000);
	};
	child.stdout!.on('data', append);
	child.stderr!.on('data', append);
	return { name, child, log: () => output, stopSignal: 'SIGTERM' };
}

async function waitForLog(managed: ManagedProcess, ready: RegExp): Promise<void> {
	await new Promise<void>((done, fail) => {
		const timer = setTimeout(() => finish(new Error(`${managed.name} not ready in time:\n${managed.log()}`)), READY_TIMEOUT_MS);
		const check = () => {
			if (ready.test(managed.log())) finish();
		};
		const exited = (code: number | null) => finish(new Error(`${managed.name} exited (${code}):\n${managed.log()}`));
		const finish = (error?: Error) => {
			clearTimeout(timer);
			managed.child.stdout!.off('data', check);
			managed.child.stderr!.off('data', check);
			managed.child.off('exit', exited);
			if (error) fail(error);
			else done();
		};
		managed.child.stdout!.on('data', check);
		managed.child.stderr!.on('data', check);
		managed.child.once('exit', exited);
		check();
	});
}

async function stopAll(processes: ManagedProcess[]): Promise<void> {
	await Promise.all(
		processes.map(
			async ({ child, stopSignal }) =>
				await new Promise<void>((done) => {
					if (child.exitCode !== null || child.signalCode !== null) return done();
					child.once('exit', () => done());
					child.kill(stopSignal);
				}),
		),
	);
}
