import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort } from './n8n';
import { repoRoot } from './runtime';

/**
 * PostgreSQL and Redis for n8n's queue mode: Debian's servers, started on loopback ports under a
 * temporary folder, with nothing persisted. n8n supports queue mode on PostgreSQL only (on SQLite
 * it warns "Scaling mode is not officially supported"), so the processes share one PostgreSQL.
 */

export interface QueueServices {
	postgres: { host: string; port: number; user: string; database: string };
	redis: { host: string; port: number };
	/** Runs SQL through psql and returns its unaligned, tuples-only output. */
	sql(query: string): string;
	/** Stops both servers and removes their data. */
	stop(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';
const DB_USER = 'n8n';
const DB_NAME = 'n8n';
const READY_TIMEOUT_MS = 60_000;

/** Installs the servers when missing (scripts/queue-mode.sh ensure) and starts both. */
export async function startQueueServices(): Promise<QueueServices> {
	const postgresBin = execFileSync('bash', [join(repoRoot, 'scripts/queue-mode.sh'), 'ensure'], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
	}).trim();
	// As root the data belongs to `postgres`, which must reach it: /tmp, whatever TMPDIR says.
	const root = mkdtempSync(join(process.getuid?.() === 0 ? '/tmp' : tmpdir(), 'wechat-queue-'));
	const started: ManagedProcess[] = [];
	try {
		const redisPort = await freePort();
		started.push(await startRedis(root, redisPort));
		const postgresPort = await freePort();
		started.push(await startPostgres(postgresBin, root, postgresPort));
		const psql = join(postgresBin, 'psql');
		const connection = ['-h', LOOPBACK, '-p', String(postgresPort), '-U', DB_USER];
		execFileSync(join(postgresBin, 'createdb'), [...connection, DB_NAME]);
		return {
			postgres: { host: LOOPBACK, port: postgresPort, user: DB_USER, database: DB_NAME },
			redis: { host: LOOPBACK, port: redisPort },
			sql: (query) =>
				execFileSync(psql, [...connection, '-d', DB_NAME, '-At', '-v', 'ON_ERROR_STOP=1', '-c', query], {
					encoding: 'utf8',
				}).trim(),
			stop: async () => {
				await stopAll(started);
				rmSync(root, { recursive: true, force: true });
			},
		};
	} catch (error) {
		await stopAll(started);
		rmSync(root, { recursive: true, force: true });
		throw error;
	}
}

interface ManagedProcess {
	name: string;
	child: ChildProcess;
	log: () => string;
	/** The signal that shuts the server down cleanly (PostgreSQL: SIGINT is its fast shutdown). */
	stopSignal: NodeJS.Signals;
}

async function startRedis(root: string, port: number): Promise<ManagedProcess> {
	const managed = spawnLogged('redis', 'redis-server', [
		'--port', String(port),
		'--bind', LOOPBACK,
		'--save', '',
		'--appendonly', 'no',
		'--daemonize', 'no',
		'--dir', root,
	], {});
	await waitForLog(managed, /Ready to accept connections/);
	return managed;
}

/** PostgreSQL refuses to run as root: as root, the data belongs to Debian's `postgres` user. */
async function startPostgres(bin: string, root: string, port: number): Promise<ManagedProcess> {
	const dataDir = join(root, 'postgres');
	const owner = process.getuid?.() === 0 ? postgresUser() : {};
	if (owner.uid !== undefined) chownSync(root, owner.uid, owner.gid!);
	execFileSync(join(bin, 'initdb'), ['-D', dataDir, '-U', DB_USER, '--auth=trust', '-E', 'UTF8', '--no-sync'], {
		...owner,
		stdio: 'pipe',
	});
	const managed = spawnLogged('postgres', join(bin, 'postgres'), [
		'-D', dataDir,
		'-k', root,
		'-p', String(port),
		'-c', `listen_addresses=${LOOPBACK}`,
		// Test data: durability is not wanted, speed is.
		'-c', 'fsync=off',
		'-c', 'synchronous_commit=off',
		'-c', 'full_page_writes=off',
		'-c', 'max_connections=200',
	], owner);
	managed.stopSignal = 'SIGINT';
	await waitForLog(managed, /database system is ready to accept connections/);
	return managed;
}

function postgresUser(): { uid?: number; gid?: number } {
	const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
	const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
	return { uid, gid };
}

function spawnLogged(
	name: string,
	command: string,
	args: string[],
	owner: { uid?: number; gid?: number },
): ManagedProcess {
	const child = spawn(command, args, { ...owner, stdio: ['ignore', 'pipe', 'pipe'] });
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
		processes.reverse().map(
			async ({ child, stopSignal }) =>
				await new Promise<void>((done) => {
					if (child.exitCode !== null || child.signalCode !== null) return done();
					child.once('exit', () => done());
					child.kill(stopSignal);
				}),
		),
	);
}
