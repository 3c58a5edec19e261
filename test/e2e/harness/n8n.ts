import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { ensureN8nRuntime, repoRoot, type N8nRuntime } from './runtime';

/** A workflow as n8n exports it. `active: true` makes the harness publish it once n8n runs. */
export interface WorkflowJson {
	id: string;
	name: string;
	nodes: Array<Record<string, unknown>>;
	connections: Record<string, unknown>;
	active?: boolean;
	settings?: Record<string, unknown>;
	[key: string]: unknown;
}

/** A credential for `n8n import:credentials`: `data` in plain text, n8n encrypts it. */
export interface CredentialJson {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

export interface N8nInstanceOptions {
	workflows?: WorkflowJson[];
	credentials?: CredentialJson[];
	/** Extra environment for the n8n processes; wins over the harness's own. */
	env?: Record<string, string>;
	/** N8N_LOG_LEVEL of the server; its log is in `logFile` (default `info`). The CLI steps always log at `info`. */
	logLevel?: 'error' | 'warn' | 'info' | 'debug';
	/** The server's port (the demo's fixed one); default a free one. */
	port?: number;
}

/** An execution as n8n's public API lists it (`data` only when asked for). */
export interface Execution {
	id: string;
	workflowId: string;
	mode: string;
	status: string;
	finished: boolean;
	startedAt: string;
	stoppedAt: string | null;
	data?: ExecutionData;
}

/** The part of a run's data that tests read. */
export interface ExecutionData {
	resultData: {
		runData: Record<string, Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> } }>>;
		error?: { message: string };
	};
}

/** What `n8n execute` printed: the run as JSON (when it printed one) and its exit code. */
export interface CliRun {
	exitCode: number;
	run?: { data: ExecutionData; status: string };
	output: string;
}

/** The instance owner the harness sets up; the demo prints it so a person can sign in. */
export const OWNER = {
	email: 'owner@example.com',
	firstName: 'Demo',
	lastName: 'Owner',
	password: 'Wechat-e2e-1',
};

/** Fixed so imported credentials stay readable across restarts of one user folder. */
const ENCRYPTION_KEY = 'n8n-nodes-wechat-publish-e2e-not-a-secret';
const FINISHED_STATUSES = new Set(['success', 'error', 'canceled', 'crashed']);
const READY_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 15_000;
const REQUEST_TIMEOUT_MS = 30_000;
const WEBHOOK_REGISTRATION_TIMEOUT_MS = 30_000;

/** The JSON items of each output of a node's last run in an execution. */
export function nodeOutputs(data: ExecutionData, nodeName: string): Array<Array<Record<string, unknown>>> {
	const runs = data.resultData.runData[nodeName];
	if (!runs?.length) throw new Error(`node "${nodeName}" did not run`);
	return (runs[runs.length - 1].data?.main ?? []).map((items) => (items ?? []).map((item) => item.json));
}

/** A port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', resolve);
	});
	const address = server.address();
	await new Promise((resolve) => server.close(resolve));
	if (address === null || typeof address === 'string') throw new Error('no port');
	return address.port;
}

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The production webhooks of the nodes the harness publishes: our trigger's at
 * `<webhookId>/webhook` (GET and POST), n8n's Webhook node's at its `path` (its method).
 */
export function productionWebhooks(workflow: Pick<WorkflowJson, 'nodes'>): Array<{ path: string; methods: string[] }> {
	const webhooks: Array<{ path: string; methods: string[] }> = [];
	for (const node of workflow.nodes) {
		const parameters = node.parameters as Record<string, unknown>;
		if (String(node.type).endsWith('.weChatOfficialAccountTrigger')) {
			webhooks.push({ path: `${String(node.webhookId)}/webhook`, methods: ['GET', 'POST'] });
		} else if (node.type === 'n8n-nodes-base.webhook') {
			webhooks.push({ path: String(parameters.path), methods: [parameters.httpMethod ?? 'GET'].flat().map(String) });
		}
	}
	return webhooks;
}

/**
 * Waits until n8n serves each production webhook of a published workflow. n8n 2.41.1 registers
 * them after the activate call returned (seen: a 404 "is not registered" for up to ~3 s). The
 * probe uses a method the webhook does not serve, so no node runs and no execution starts:
 * once registered, n8n answers that the path is registered for the webhook's methods.
 */
export async function waitUntilWebhooksServed(workflow: WorkflowJson, urlOf: (webhookPath: string) => string): Promise<void> {
	const deadline = Date.now() + WEBHOOK_REGISTRATION_TIMEOUT_MS;
	for (const webhook of productionWebhooks(workflow)) {
		const probe = ['DELETE', 'PATCH', 'PUT'].find((method) => !webhook.methods.includes(method));
		for (;;) {
			const answer = await fetch(urlOf(webhook.path), { method: probe, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
			const { message = '' } = (await answer.json().catch(() => ({}))) as { message?: string };
			// "This webhook is not registered for DELETE requests. Did you mean to make a GET or POST request?"
			const served = /Did you mean to make an? (.+) request\?/.exec(message)?.[1].split(/, | or /) ?? [];
			if (webhook.methods.every((method) => served.includes(method))) break;
			if (Date.now() > deadline) {
				throw new Error(
					`${workflow.name}: n8n did not serve ${webhook.methods.join(' and ')} ${urlOf(webhook.path)} within ${WEBHOOK_REGISTRATION_TIMEOUT_MS} ms (last answer to ${probe}: ${answer.status} ${message})`,
				);
			}
			await sleep(100);
		}
	}
}

/**
 * A real n8n server (n8n 2.41.1 on Node 24, or with WECHAT_N8N_LINE=1 the newest n8n 1.x on
 * Node 20; both from scripts/n8n-runtime.sh) with this package's
 * dist/ loaded as custom extensions: node types `CUSTOM.weChatOfficialAccount` and
 * `CUSTOM.weChatOfficialAccountTrigger`, credential `weChatOfficialAccountApi`.
 *
 * `start()` imports the credentials and workflows with n8n's CLI, starts `n8n start` in its own
 * process group, waits for readiness, sets up the owner, makes an API key, and publishes the
 * workflows marked `active` through the public API, waiting until n8n serves their webhooks
 * (`waitUntilWebhooksServed`), so no request races a registration.
 * Everything lives in one temporary folder, removed by `stop()` unless WECHAT_E2E_KEEP is set.
 */
export class N8nInstance {
	/** Started and not yet stopped, so `stopAll()` can end them even after a start timed out. */
	private static readonly live = new Set<N8nInstance>();

	readonly baseUrl: string;

	/** n8n's own output (stdout and stderr). */
	readonly logFile: string;

	/** The only folder n8n's file nodes may read or write (N8N_RESTRICT_FILE_ACCESS_TO). */
	readonly filesDir: string;

	/** How long each start phase took, for the bench and the notes. */
	readonly timings = { importMs: 0, readyMs: 0, publishMs: 0 };

	private server?: ChildProcess;

	/** The workflows published through `publish()`, whose webhooks a restart waits for. */
	private readonly published: WorkflowJson[] = [];

	private authCookie = '';

	private apiKey = '';

	private readonly killOnExit = () => this.signalGroup('SIGKILL');

	/** The CLI steps under way (import, execute), ended by `stop()` too. */
	private readonly cliChildren = new Set<ChildProcess>();

	private constructor(
		private readonly runtime: N8nRuntime,
		private readonly root: string,
		readonly port: number,
		/** The environment of the n8n processes (queue-mode members start from it). */
		readonly env: NodeJS.ProcessEnv,
	) {
		this.baseUrl = `http://127.0.0.1:${port}`;
		this.logFile = path.join(root, 'n8n.log');
		this.filesDir = path.join(root, 'files');
	}

	/**
	 * SIGKILL to n8n's process group, as a crash or an OOM kill ends it: no shutdown, nothing
	 * flushed. The folder stays for `restart()`.
	 */
	async kill(): Promise<void> {
		const server = this.server;
		if (!server || server.exitCode !== null || server.signalCode !== null) return;
		const exited = new Promise((resolve) => server.once('exit', resolve));
		this.signalGroup('SIGKILL');
		await exited;
	}

	/**
	 * Starts n8n again on the same user folder, port and environment (after `kill()` or a
	 * stop with `keep`), and waits until it serves the published workflows' webhooks again.
	 */
	async restart(): Promise<void> {
		await this.spawnServer();
		for (const workflow of this.published) await waitUntilWebhooksServed(workflow, (webhookPath) => this.webhookUrl(webhookPath));
	}

	/** Starts n8n; on any failure it stops what it started and throws with n8n's log tail. */
	static async start(options: N8nInstanceOptions = {}): Promise<N8nInstance> {
		const runtime = ensureN8nRuntime();
		const root = mkdtempSync(path.join(tmpdir(), 'n8n-e2e-'));
		const extensions = path.join(root, 'extensions');
		copyPackage(path.join(extensions, 'n8n-nodes-wechat-publish'));
		mkdirSync(path.join(root, 'files'));
		const port = options.port ?? (await freePort());
		const env = n8nEnv(runtime, {
			N8N_USER_FOLDER: path.join(root, 'user'),
			N8N_CUSTOM_EXTENSIONS: extensions,
			N8N_RESTRICT_FILE_ACCESS_TO: path.join(root, 'files'),
			N8N_PORT: String(port),
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			N8N_WEBHOOK_URL: `http://127.0.0.1:${port}/`,
			N8N_LOG_LEVEL: options.logLevel ?? 'info',
			...options.env,
		});
		const instance = new N8nInstance(runtime, root, port, env);
		N8nInstance.live.add(instance);
		try {
			await instance.boot(options);
		} catch (error) {
			await instance.stop({ keep: true });
			throw new Error(`${(error as Error).message}\n--- n8n log tail (${instance.logFile}) ---\n${instance.logTail()}`);
		}
		return instance;
	}

	/** Stops every instance still running (the e2e setup calls it after each test file). */
	static async stopAll(): Promise<void> {
		await Promise.all([...N8nInstance.live].map(async (instance) => await instance.stop()));
	}

	/** The production URL of a webhook path: `/webhook/<path>`. */
	webhookUrl(webhookPath: string): string {
		return `${this.baseUrl}/webhook/${webhookPath}`;
	}

	/**
	 * Publishes (activates) an imported workflow and waits until n8n serves its webhooks; throws
	 * with n8n's reason when it cannot publish.
	 */
	async publish(workflowId: string): Promise<void> {
		const published = (await this.api('POST', `/workflows/${encodeURIComponent(workflowId)}/activate`)) as WorkflowJson;
		this.published.push(published);
		// Queue mode: only the webhook processors serve production webhooks; QueueCluster waits there.
		if (this.env.N8N_DISABLE_PRODUCTION_MAIN_PROCESS !== 'true') {
			await waitUntilWebhooksServed(published, (webhookPath) => this.webhookUrl(webhookPath));
		}
	}

	/** Executions, newest first, through the public API (all pages). */
	async executions(filter: { workflowId?: string; status?: string; includeData?: boolean } = {}): Promise<Execution[]> {
		const all: Execution[] = [];
		let cursor: string | undefined;
		do {
			const query = new URLSearchParams({ limit: '250' });
			if (filter.workflowId) query.set('workflowId', filter.workflowId);
			if (filter.status) query.set('status', filter.status);
			if (filter.includeData) query.set('includeData', 'true');
			if (cursor) query.set('cursor', cursor);
			const page = (await this.api('GET', `/executions?${query}`)) as { data: Execution[]; nextCursor: string | null };
			all.push(...page.data);
			cursor = page.nextCursor ?? undefined;
		} while (cursor);
		return all;
	}

	/**
	 * Waits until a workflow has at least `count` finished executions and returns them (newest
	 * first, with data). Says nothing about executions that never start: to prove that a request
	 * started none, follow it with one that starts one and count.
	 */
	async waitForExecutions(workflowId: string, count: number, timeoutMs = 60_000): Promise<Execution[]> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const executions = await this.executions({ workflowId, includeData: true });
			const finished = executions.filter((execution) => FINISHED_STATUSES.has(execution.status));
			if (finished.length >= count) return finished;
			if (Date.now() > deadline) {
				const seen = executions.map((execution) => `${execution.id}:${execution.status}`).join(', ');
				throw new Error(
					`workflow ${workflowId}: ${finished.length} of ${count} executions finished in ${timeoutMs} ms (seen: ${seen || 'none'})\n--- n8n log tail ---\n${this.logTail(30)}`,
				);
			}
			await sleep(200);
		}
	}

	/**
	 * Runs a workflow once from its Manual Trigger with `n8n execute`, in a second process on
	 * the same user folder while the server keeps running (its own task-broker port); the run
	 * is recorded like any other (mode `cli`). Resolves with the exit code and the printed run.
	 */
	async execute(workflowId: string): Promise<CliRun> {
		const { exitCode, output } = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput'], {
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		});
		return { exitCode, output, run: parseRun(output) };
	}

	/** A call to n8n's public API (`/api/v1`) with the harness's API key; throws on non-2xx. */
	async api(method: string, apiPath: string, body?: unknown): Promise<unknown> {
		return await this.request(method, `/api/v1${apiPath}`, { 'x-n8n-api-key': this.apiKey }, body);
	}

	/** A call to n8n's internal REST API (`/rest`, the editor's) as the owner; throws on non-2xx. */
	async rest(method: string, restPath: string, body?: unknown): Promise<unknown> {
		return await this.request(method, `/rest${restPath}`, { cookie: this.authCookie }, body);
	}

	/**
	 * The node types among `types` that n8n does not know (at the given version, else version 1);
	 * `name@version` for those given with one. Asks `/node-types` first, then the editor's list
	 * (`/types/nodes.json`), which alone holds the tool variants n8n derives from nodes usable as
	 * tools (`…Tool`).
	 */
	async unknownNodeTypes(types: Array<string | { name: string; version: number }>): Promise<string[]> {
		let editorList: Array<{ name: string; version: number | number[] }> | undefined;
		const unknown: string[] = [];
		for (const type of types) {
			const { name, version } = typeof type === 'string' ? { name: type, version: 1 } : type;
			const hasVersion = (description?: { version?: number | number[] } | null) =>
				Boolean(description) && [description!.version].flat().includes(version);
			let known = false;
			let inEditorList = true;
			try {
				const answer = (await this.rest('POST', '/node-types', { nodeInfos: [{ name, version }] })) as {
					data?: Array<{ version?: number | number[] } | null>;
				};
				const description = answer.data?.[0];
				known = hasVersion(description);
				// n8n 1.x answers a tool variant (`…Tool`) without `version`: its description
				// inherits that field, which the JSON answer drops. The editor's list has it.
				inEditorList = Boolean(description) && description!.version === undefined;
			} catch {
				// not known here: the editor's list may still hold it
			}
			if (!known && inEditorList) {
				editorList ??= (await this.request('GET', '/types/nodes.json', { cookie: this.authCookie })) as typeof editorList;
				known = (editorList ?? []).some((description) => description.name === name && hasVersion(description));
			}
			if (!known) unknown.push(typeof type === 'string' ? name : `${name}@${version}`);
		}
		return unknown;
	}

	/** The last lines of n8n's log. */
	logTail(lines = 60): string {
		if (!existsSync(this.logFile)) return '(no log)';
		return readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
	}

	/**
	 * SIGTERM to n8n's process group (n8n and its task runner), SIGKILL after a grace; then
	 * removes the temporary folder unless `keep` or WECHAT_E2E_KEEP.
	 */
	async stop({ keep = false } = {}): Promise<void> {
		const server = this.server;
		if (server && server.exitCode === null && server.signalCode === null) {
			const exited = new Promise((resolve) => server.once('exit', resolve));
			this.signalGroup('SIGTERM');
			const timer = setTimeout(() => this.signalGroup('SIGKILL'), STOP_GRACE_MS);
			await exited;
			clearTimeout(timer);
		}
		// The task runner may outlive n8n by a moment; nothing of the group may stay, nor a CLI step
		// of a start that is being abandoned.
		this.signalGroup('SIGKILL');
		for (const child of this.cliChildren) child.kill('SIGKILL');
		process.off('exit', this.killOnExit);
		N8nInstance.live.delete(this);
		if (keep || process.env.WECHAT_E2E_KEEP) {
			process.stderr.write(`e2e: kept n8n's folder ${this.root}\n`);
		} else {
			rmSync(this.root, { recursive: true, force: true });
		}
	}

	private async boot(options: N8nInstanceOptions): Promise<void> {
		let started = Date.now();
		if (options.credentials?.length) await this.importJson('credentials', options.credentials);
		if (options.workflows?.length) await this.importJson('workflow', options.workflows);
		this.timings.importMs = Date.now() - started;

		started = Date.now();
		await this.spawnServer();
		this.timings.readyMs = Date.now() - started;

		started = Date.now();
		await this.signIn();
		for (const workflow of options.workflows ?? []) {
			if (workflow.active) await this.publish(workflow.id);
		}
		this.timings.publishMs = Date.now() - started;
	}

	/** `n8n start` in its own process group, logging to `logFile`; resolves when it is ready. */
	private async spawnServer(): Promise<void> {
		const log = openSync(this.logFile, 'a');
		this.server = spawn(this.runtime.n8nBin, ['start'], { env: this.env, stdio: ['ignore', log, log], detached: true });
		closeSync(log);
		process.off('exit', this.killOnExit);
		process.on('exit', this.killOnExit);
		await this.waitUntilReady();
	}

	private async waitUntilReady(): Promise<void> {
		const deadline = Date.now() + READY_TIMEOUT_MS;
		while (Date.now() < deadline) {
			const server = this.server;
			if (!server || server.exitCode !== null || server.signalCode !== null) {
				throw new Error(`n8n exited during start (code ${server?.exitCode}, signal ${server?.signalCode})`);
			}
			try {
				const response = await fetch(`${this.baseUrl}/healthz/readiness`, { signal: AbortSignal.timeout(2_000) });
				if (response.ok) return;
			} catch {
				// not listening yet
			}
			await sleep(100);
		}
		throw new Error(`n8n was not ready within ${READY_TIMEOUT_MS} ms`);
	}

	/** Sets up the owner (the user folder is new) and makes an API key with every scope. */
	private async signIn(): Promise<void> {
		const setup = async () =>
			await fetch(`${this.baseUrl}/rest/owner/setup`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(OWNER),
				signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
			});
		// n8n 1.x answers its readiness check before it has mounted the REST API (404 until then).
		const deadline = Date.now() + READY_TIMEOUT_MS;
		let response = await setup();
		while (response.status === 404 && Date.now() < deadline) {
			await sleep(100);
			response = await setup();
		}
		if (!response.ok) throw new Error(`owner setup: HTTP ${response.status} ${await response.text()}`);
		const cookie = response.headers.getSetCookie().find((header) => header.startsWith('n8n-auth='));
		if (!cookie) throw new Error('owner setup: no n8n-auth cookie');
		this.authCookie = cookie.split(';')[0];
		const { data: scopes } = (await this.rest('GET', '/api-keys/scopes')) as { data: string[] };
		const { data: key } = (await this.rest('POST', '/api-keys', { label: 'e2e', scopes, expiresAt: null })) as {
			data: { rawApiKey: string };
		};
		this.apiKey = key.rawApiKey;
	}

	private async request(method: string, urlPath: string, headers: Record<string, string>, body?: unknown): Promise<unknown> {
		const response = await fetch(`${this.baseUrl}${urlPath}`, {
			method,
			headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`${method} ${urlPath}: HTTP ${response.status} ${text.slice(0, 500)}`);
		return text ? JSON.parse(text) : undefined;
	}

	private async importJson(kind: 'workflow' | 'credentials', items: unknown[]): Promise<void> {
		const file = path.join(this.root, `import-${kind}-${Date.now()}.json`);
		writeFileSync(file, JSON.stringify(items));
		const { exitCode, output } = await this.cli([`import:${kind}`, `--input=${file}`], {});
		// n8n's import commands report some failures with exit code 0.
		if (exitCode !== 0 || !/Successfully imported/.test(output)) {
			throw new Error(`n8n import:${kind} failed (exit ${exitCode}):\n${output.slice(-3000)}`);
		}
	}

	/**
	 * Runs an n8n CLI command against this instance's user folder, at log level `info` whatever
	 * the server's: the commands report through the info logger ("Successfully imported", the
	 * run of `execute`), so below `info` they print nothing the harness could check.
	 */
	private async cli(args: string[], env: Record<string, string>): Promise<{ exitCode: number; output: string }> {
		const child = spawn(this.runtime.n8nBin, args, {
			env: { ...this.env, N8N_LOG_LEVEL: 'info', ...env },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		this.cliChildren.add(child);
		child.once('close', () => this.cliChildren.delete(child));
		const chunks: Buffer[] = [];
		child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
		child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
		const exitCode = await new Promise<number>((resolve, reject) => {
			child.once('error', reject);
			child.once('close', (code) => resolve(code ?? 1));
		});
		return { exitCode, output: Buffer.concat(chunks).toString('utf8') };
	}

	private signalGroup(signal: NodeJS.Signals): void {
		if (!this.server?.pid) return;
		try {
			process.kill(-this.server.pid, signal);
		} catch {
			// the group is gone
		}
	}
}

/** The harness's environment for n8n: quiet, offline, loopback only, no first-run prompts. */
function n8nEnv(runtime: N8nRuntime, own: Record<string, string>): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = { ...process.env };
	// Nothing of the caller's Node (jest, ts-node, npm) may leak into Node 24's n8n; under
	// NODE_ENV=test (set by jest) n8n's CLI logs nothing at all.
	for (const name of Object.keys(env)) {
		if (['NODE_ENV', 'NODE_OPTIONS', 'JEST_WORKER_ID'].includes(name) || /^(npm_|N8N_|DB_)/.test(name)) {
			delete env[name];
		}
	}
	return {
		...env,
		PATH: `${runtime.nodeBinDir}${path.delimiter}${process.env.PATH ?? ''}`,
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		DB_TYPE: 'sqlite',
		N8N_SECURE_COOKIE: 'false',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PUBLIC_API_SWAGGERUI_DISABLED: 'true',
		N8N_PYTHON_ENABLED: 'false',
		// Modules that only call n8n's servers (unreachable here) or serve AI features; n8n 1.x
		// knows fewer modules and refuses to start on a name it does not know.
		N8N_DISABLED_MODULES: runtime.line === 1 ? 'insights,chat-hub' : 'mcp-registry,insights,instance-ai,agents,chat-hub,workflow-builder',
		// n8n 1.123's default expression engine `vm` needs isolated-vm 6, which does not build on
		// Node 20 (it needs Node 22's V8): on Node 20 that n8n starts only with the legacy engine.
		...(runtime.line === 1 ? { N8N_EXPRESSION_ENGINE: 'legacy' } : {}),
		...own,
	};
}

/** Copies what a user would install (package.json + dist/) into a custom-extensions folder. */
function copyPackage(target: string): void {
	const dist = path.join(repoRoot, 'dist');
	if (!existsSync(dist)) throw new Error('dist/ is missing: run `npm run build` first');
	mkdirSync(target, { recursive: true });
	cpSync(path.join(repoRoot, 'package.json'), path.join(target, 'package.json'));
	cpSync(dist, path.join(target, 'dist'), { recursive: true });
}

/** The run JSON `n8n execute --rawOutput` printed: from a line `{` to the next line `}`. */
function parseRun(output: string): CliRun['run'] {
	const lines = output.split('\n');
	const start = lines.indexOf('{');
	const end = lines.indexOf('}', start);
	if (start < 0 || end < 0) return undefined;
	return JSON.parse(lines.slice(start, end + 1).join('\n')) as CliRun['run'];
}
