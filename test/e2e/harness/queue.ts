import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { freePort, N8nInstance, waitUntilWebhooksServed, type N8nInstanceOptions } from './n8n';
import { startQueueServices, type QueueServices } from './queue-services';
import { ensureN8nRuntime } from './runtime';

/**
 * n8n in queue mode: the single-instance harness's `N8nInstance` as the main process (editor,
 * API, workflow activation), plus `n8n worker` and `n8n webhook` processes sharing its
 * PostgreSQL database, Redis queue, encryption key and this package (N8N_CUSTOM_EXTENSIONS).
 * Production webhooks are served by the webhook processors only
 * (N8N_DISABLE_PRODUCTION_MAIN_PROCESS), and every execution, manual ones too, runs on a worker.
 */
export interface QueueClusterOptions extends N8nInstanceOptions {
	workers?: number;
	webhookProcessors?: number;
	/** Jobs each worker runs at once (`n8n worker --concurrency`). */
	workerConcurrency?: number;
}

const READY_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 20_000;

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

/** One `n8n worker` or `n8n webhook` process, in its own process group, logging to a file. */
export class QueueProcess {
	private constructor(
		readonly name: string,
		private readonly child: ChildProcess,
		readonly logFile: string,
		/** Where `/healthz/readiness` answers. */
		readonly port: number,
	) {}

	static spawn(name: string, args: string[], env: NodeJS.ProcessEnv, logFile: string, port: number): QueueProcess {
		const log = openSync(logFile, 'a');
		const child = spawn(ensureN8nRuntime().n8nBin, args, { env, stdio: ['ignore', log, log], detached: true });
		closeSync(log);
		return new QueueProcess(name, child, logFile, port);
	}

	get running(): boolean {
		return this.child.exitCode === null && this.child.signalCode === null;
	}

	async waitUntilReady(deadline: number): Promise<void> {
		while (Date.now() < deadline) {
			if (!this.running) throw new Error(`${this.name} exited during start (code ${this.child.exitCode})`);
			try {
				if ((await fetch(`http://127.0.0.1:${this.port}/healthz/readiness`)).ok) return;
			} catch {
				// not listening yet
			}
			await sleep(100);
		}
		throw new Error(`${this.name} was not ready within ${READY_TIMEOUT_MS} ms`);
	}

	log(): string {
		return existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8') : '';
	}

	/** SIGTERM to the group (n8n waits for its running executions), SIGKILL after a grace. */
	async stop(): Promise<void> {
		if (this.running) {
			const exited = new Promise((resolve) => this.child.once('exit', resolve));
			this.signal('SIGTERM');
			const timer = setTimeout(() => this.signal('SIGKILL'), STOP_GRACE_MS);
			await exited;
			clearTimeout(timer);
		}
		this.signal('SIGKILL');
	}

	signal(signal: NodeJS.Signals): void {
		if (!this.child.pid) return;
		try {
			process.kill(-this.child.pid, signal);
		} catch {
			// the group is gone
		}
	}
}

export class QueueCluster {
	private readonly killOnExit = () => {
		for (const member of [...this.workers, ...this.webhookProcessors]) member.signal('SIGKILL');
	};

	private constructor(
		readonly main: N8nInstance,
		readonly workers: QueueProcess[],
		readonly webhookProcessors: QueueProcess[],
		readonly services: QueueServices,
		private readonly root: string,
	) {
		process.on('exit', this.killOnExit);
	}

	/**
	 * Starts PostgreSQL and Redis, the main process (which imports and publishes the workflows),
	 * then the workers and webhook processors; on failure stops everything and throws with the
	 * log tails.
	 */
	static async start(options: QueueClusterOptions = {}): Promise<QueueCluster> {
		const { workers = 2, webhookProcessors = 1, workerConcurrency = 10, ...instanceOptions } = options;
		const root = mkdtempSync(path.join(tmpdir(), 'wechat-queue-cluster-'));
		const services = await startQueueServices();
		const webhookPorts = await Promise.all(Array.from({ length: webhookProcessors }, freePort));
		const shared = queueEnv(services);
		let main: N8nInstance;
		try {
			main = await N8nInstance.start({
				...instanceOptions,
				env: {
					...shared,
					N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true',
					OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
					// The URL the editor shows for production webhooks: the (first) webhook processor.
					WEBHOOK_URL: `http://127.0.0.1:${webhookPorts[0]}/`,
					...instanceOptions.env,
				},
			});
		} catch (error) {
			await services.stop();
			rmSync(root, { recursive: true, force: true });
			throw error;
		}

		const members: QueueProcess[] = [];
		const cluster = new QueueCluster(main, [], [], services, root);
		try {
			for (let index = 1; index <= workers; index++) {
				const port = await freePort();
				const worker = QueueProcess.spawn(
					`worker-${index}`,
					['worker', `--concurrency=${workerConcurrency}`],
					await cluster.memberEnv(`worker-${index}`, {
						QUEUE_HEALTH_CHECK_ACTIVE: 'true',
						QUEUE_HEALTH_CHECK_PORT: String(port),
						N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
					}),
					path.join(root, `worker-${index}.log`),
					port,
				);
				members.push(worker);
				cluster.workers.push(worker);
			}
			for (const port of webhookPorts) members.push(await cluster.spawnWebhookProcessor(port));
			const deadline = Date.now() + READY_TIMEOUT_MS;
			await Promise.all(members.map(async (member) => await member.waitUntilReady(deadline)));
			// The main process published the workflows; the webhook processors read the same database.
			for (const workflow of instanceOptions.workflows ?? []) {
				if (workflow.active) await waitUntilWebhooksServed(workflow, (webhookPath) => cluster.webhookUrl(webhookPath));
			}
		} catch (error) {
			const tails = members.map((member) => `--- ${member.name} log tail ---\n${tail(member.log())}`).join('\n');
			await cluster.stop({ keep: true });
			throw new Error(`${(error as Error).message}\n${tails}`);
		}
		return cluster;
	}

	/** Starts one more webhook processor (index `webhookProcessors.length`) and waits until it is ready. */
	async addWebhookProcessor(): Promise<QueueProcess> {
		const processor = await this.spawnWebhookProcessor(await freePort());
		await processor.waitUntilReady(Date.now() + READY_TIMEOUT_MS);
		return processor;
	}

	/** The production URL of a webhook path on a webhook processor: `/webhook/<path>`. */
	webhookUrl(webhookPath: string, processor = 0): string {
		return `http://127.0.0.1:${this.webhookProcessors[processor].port}/webhook/${webhookPath}`;
	}

	/** Which worker ran which execution, from the workers' "Worker started execution N" lines. */
	executionsByWorker(): Map<string, string[]> {
		return new Map(
			this.workers.map((worker) => [
				worker.name,
				[...worker.log().matchAll(/Worker started execution (\d+)/g)].map((match) => match[1]),
			]),
		);
	}

	/** Stops the workers and webhook processors, then the main process, then the databases. */
	async stop({ keep = false } = {}): Promise<void> {
		await Promise.all([...this.workers, ...this.webhookProcessors].map(async (member) => await member.stop()));
		process.off('exit', this.killOnExit);
		await this.main.stop({ keep });
		await this.services.stop();
		if (keep || process.env.WECHAT_E2E_KEEP) process.stderr.write(`e2e: kept the queue logs in ${this.root}\n`);
		else rmSync(this.root, { recursive: true, force: true });
	}

	private async spawnWebhookProcessor(port: number): Promise<QueueProcess> {
		const name = `webhook-${this.webhookProcessors.length + 1}`;
		const processor = QueueProcess.spawn(
			name,
			['webhook'],
			await this.memberEnv(name, { N8N_PORT: String(port) }),
			path.join(this.root, `${name}.log`),
			port,
		);
		this.webhookProcessors.push(processor);
		return processor;
	}

	/** The main process's environment with the member's own user folder and task-broker port. */
	private async memberEnv(name: string, own: Record<string, string>): Promise<NodeJS.ProcessEnv> {
		const userFolder = path.join(this.root, name);
		mkdirSync(userFolder);
		return {
			...this.main.env,
			N8N_USER_FOLDER: userFolder,
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			...own,
		};
	}
}

/** What every process of the cluster shares: queue mode, the Redis queue, the database. */
function queueEnv(services: QueueServices): Record<string, string> {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: services.redis.host,
		QUEUE_BULL_REDIS_PORT: String(services.redis.port),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: services.postgres.host,
		DB_POSTGRESDB_PORT: String(services.postgres.port),
		DB_POSTGRESDB_USER: services.postgres.user,
		DB_POSTGRESDB_DATABASE: services.postgres.database,
		// n8n's default pool (2 connections) keeps a webhook processor from answering a burst of
		// pushes within WeChat's 5 s (seen: 73 of 135 deliveries unanswered); docs/queue-mode.md.
		DB_POSTGRESDB_POOL_SIZE: '10',
		// n8n removes a finished job from Redis at once by default; a webhook processor that starts
		// waiting for a job after it finished then waits forever (seen on 2.41.1: its shutdown hung
		// on "Waiting for 11 active executions to finish"). Keeping finished jobs a while avoids that.
		N8N_EXECUTIONS_QUEUE_KEEP_LAST_COMPLETED: '1000',
		N8N_EXECUTIONS_QUEUE_KEEP_LAST_FAILED: '1000',
	};
}

function tail(text: string, lines = 40): string {
	return text.split('\n').slice(-lines).join('\n');
}
