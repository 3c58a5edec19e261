import { makePng } from '../fixtures/images';
import { SandboxTokenService, WeChatSandbox } from '../sandbox';
import { Catcher } from './harness/catcher';
import { QueueCluster } from './harness/queue';
import {
	PUBLISH_WORKFLOW_IDS,
	publishWebhookPath,
	queueCredential,
	queuePublishWorkflow,
	queueTriggerWorkflow,
	TRIGGER_WEBHOOK_PATH,
	TRIGGER_WORKFLOW_ID,
	type AuthMode,
} from './harness/queue-workflows';

/**
 * The package under n8n's queue mode: main + 2 workers + 1 webhook processor, PostgreSQL and
 * Redis (test/e2e/harness/queue.ts), against the WeChat sandbox. Production webhook calls start
 * the publishing chain (upload cover, create draft, submit) on the workers; the sandbox counts
 * what reached WeChat. Stable tokens: one token shared by every process. Classic tokens: each
 * process's fetch retires the other's token, and the node recovers by refreshing once. Token
 * service: every process asks a third-party platform's service, which hands all of them the same
 * authorizer token.
 */

const WORKERS = 2;
const EXECUTIONS = 50;
/** A classic token stays valid this long after a newer one was issued (WeChat: minutes). */
const CLASSIC_GRACE_SECONDS = 3;
const START_TIMEOUT_MS = 300_000;
const PHASE_TIMEOUT_MS = 240_000;
const SUBMIT_PATH = '/cgi-bin/freepublish/submit';
const API_PATHS = ['/cgi-bin/material/add_material', '/cgi-bin/draft/add', SUBMIT_PATH];
/** A publish_id no submit produces: the sentinel event that closes the count. */
const SENTINEL_PUBLISH_ID = '9007199254740993001';
const SUCCESS = { status: 200, body: 'success' };
const REPEATED_PUBLISH_ID = '9007199254740993002';
const SECOND_SENTINEL_PUBLISH_ID = '9007199254740993003';
/** WeChat retries a push 5 s after a try that got no answer. */
const WECHAT_RETRY_SPACING_MS = 5_000;

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

/** What the sandbox has seen so far; phases compare two of these. */
interface Counters {
	stableTokenRequests: number;
	classicTokenRequests: number;
	issuedStable: number;
	issuedClassic: number;
	invalidatedTokens: number;
	/** Upload, draft and submit requests, including those WeChat refused for their token. */
	apiRequests: number;
	submitRequests: number;
	/** Submits WeChat accepted (publish jobs created). */
	submits: number;
	/** Requests to the token service, and the authorizer tokens WeChat issued to it. */
	serviceRequests: number;
	issuedAuthorizer: number;
}

function counters(sandbox: WeChatSandbox, service: SandboxTokenService): Counters {
	const { issuedTokens, invalidatedTokens, submits } = sandbox.stats;
	return {
		stableTokenRequests: sandbox.count('/cgi-bin/stable_token'),
		classicTokenRequests: sandbox.count('/cgi-bin/token'),
		issuedStable: issuedTokens.stable,
		issuedClassic: issuedTokens.classic,
		invalidatedTokens,
		apiRequests: API_PATHS.reduce((sum, apiPath) => sum + sandbox.count(apiPath), 0),
		submitRequests: sandbox.count(SUBMIT_PATH),
		submits,
		serviceRequests: service.stats.requests,
		issuedAuthorizer: issuedTokens.authorizer,
	};
}

function delta(after: Counters, before: Counters): Counters {
	return Object.fromEntries(
		Object.entries(after).map(([name, value]) => [name, value - before[name as keyof Counters]]),
	) as unknown as Counters;
}

describe('queue mode: main + 2 workers + 1 webhook processor on PostgreSQL and Redis', () => {
	let sandbox: WeChatSandbox;
	let service: SandboxTokenService;
	let catcher: Catcher;
	let cluster: QueueCluster;
	const report: Record<string, unknown> = {};

	beforeAll(async () => {
		const started = Date.now();
		sandbox = await WeChatSandbox.start({ classicGraceSeconds: CLASSIC_GRACE_SECONDS, publish: { status: 0, delayMs: 200 } });
		service = await SandboxTokenService.forSandbox(sandbox);
		catcher = await Catcher.start();
		cluster = await QueueCluster.start({
			workers: WORKERS,
			webhookProcessors: 1,
			workerConcurrency: 10,
			credentials: [
				queueCredential('stable', sandbox),
				queueCredential('classic', sandbox),
				queueCredential('tokenService', sandbox, service),
			],
			workflows: [
				queuePublishWorkflow('stable', catcher.url),
				queuePublishWorkflow('classic', catcher.url),
				queuePublishWorkflow('tokenService', catcher.url),
				queueTriggerWorkflow(catcher.url),
			],
		});
		// WeChat's pushes go to the webhook processor, encrypted (safe mode), each delivered twice.
		sandbox.configure({
			callback: { url: cluster.webhookUrl(TRIGGER_WEBHOOK_PATH), mode: 'safe' },
			duplicatePushes: 1,
		});
		report.clusterStartMs = Date.now() - started;
	}, START_TIMEOUT_MS);

	afterAll(async () => {
		const stopping = Date.now();
		await cluster?.stop();
		report.clusterStopMs = Date.now() - stopping;
		await catcher?.close();
		await service?.close();
		await sandbox?.close();
		process.stderr.write(`queue-mode results: ${JSON.stringify(report, null, 2)}\n`);
	}, START_TIMEOUT_MS);

	/** Starts `count` executions at once through the webhook processor; each answers at once. */
	async function startExecutions(mode: AuthMode, count: number, offset = 0): Promise<void> {
		const cover = makePng().toString('base64');
		const answers = await Promise.all(
			Array.from({ length: count }, async (_, index) => {
				const response = await fetch(cluster.webhookUrl(publishWebhookPath(mode)), {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ title: `${mode} article ${offset + index + 1}`, cover }),
				});
				return `${response.status} ${await response.text()}`;
			}),
		);
		expect(answers).toEqual(Array(count).fill('200 {"message":"Workflow was started"}'));
	}

	/** Waits for the mode's executions to finish; all must succeed, each reported once. */
	async function finishedExecutions(mode: AuthMode, count: number): Promise<string[]> {
		const executions = await cluster.main.waitForExecutions(PUBLISH_WORKFLOW_IDS[mode], count, 180_000);
		expect(executions.map((execution) => execution.status)).toEqual(Array(count).fill('success'));
		const reports = catcher.requests.filter((request) => request.path === `/submitted/${mode}`);
		const titles = reports.map((request) => (request.body as { title: string }).title);
		expect(new Set(titles).size).toBe(count);
		expect(titles).toHaveLength(count);
		return executions.map((execution) => execution.id);
	}

	/** One PUBLISHJOBFINISH, signed and encrypted like WeChat's, to a webhook processor. */
	async function pushEvent(publishId: string, publishStatus: number, processor = 0) {
		return await sandbox.pushEvent(
			{
				MsgType: 'event',
				Event: 'PUBLISHJOBFINISH',
				PublishEventInfo: { publish_id: BigInt(publishId), publish_status: publishStatus },
			},
			{ url: cluster.webhookUrl(TRIGGER_WEBHOOK_PATH, processor), mode: 'safe' },
		);
	}

	function workersThatRan(executionIds: string[]): Record<string, number> {
		const ran: Record<string, number> = {};
		for (const [worker, ids] of cluster.executionsByWorker()) {
			ran[worker] = ids.filter((id) => executionIds.includes(id)).length;
		}
		return ran;
	}

	it('stable tokens: 50 parallel publishing executions spread over the workers share one token', async () => {
		const before = counters(sandbox, service);
		const started = Date.now();
		await startExecutions('stable', EXECUTIONS);
		const executionIds = await finishedExecutions('stable', EXECUTIONS);
		const seen = delta(counters(sandbox, service), before);
		const byWorker = workersThatRan(executionIds);
		report.stable = { ms: Date.now() - started, byWorker, ...seen };

		// Every execution ran on a worker, and both workers took some.
		expect(Object.values(byWorker).reduce((sum, n) => sum + n, 0)).toBe(EXECUTIONS);
		for (const count of Object.values(byWorker)) expect(count).toBeGreaterThan(0);
		// One token for the whole account: no fetch retired another process's token.
		expect(seen.issuedStable).toBe(1);
		expect(seen.invalidatedTokens).toBe(0);
		// One token request per process in this token lifetime (7200 s, the run is shorter): each
		// worker ran executions, so each fetched once; nothing else fetches a token.
		expect(seen.stableTokenRequests).toBe(WORKERS);
		expect(seen.classicTokenRequests).toBe(0);
		// No request refused for its token, none resent: upload, draft, submit once per execution.
		expect(seen.apiRequests).toBe(3 * EXECUTIONS);
		expect(seen.submitRequests).toBe(EXECUTIONS);
		expect(seen.submits).toBe(EXECUTIONS);
	}, PHASE_TIMEOUT_MS);

	it('every PUBLISHJOBFINISH pushed to the webhook processor starts exactly one execution on a worker', async () => {
		await sandbox.idle();
		const submitted = catcher.requests
			.filter((request) => request.path === '/submitted/stable')
			.map((request) => String((request.body as { publish_id: unknown }).publish_id));
		expect(new Set(submitted).size).toBe(EXECUTIONS);
		// Each event was delivered at least twice (the configured repeat). A delivery that got no
		// answer within WeChat's 5 s (a loaded machine) was sent again, as WeChat does: how fast
		// the answers come is the bench's business, how many executions start is this test's.
		const pushes = sandbox.pushes.filter((push) => submitted.includes(push.publishId));
		for (const publishId of submitted) {
			expect(pushes.filter((push) => push.publishId === publishId).length).toBeGreaterThanOrEqual(2);
		}
		// None may be answered within 5 s on a loaded machine: n8n answers once the job is queued.
		const answered = pushes.filter((push) => push.httpStatus !== 0);
		// `success` is the only acknowledgement. Told to try again: a retry that comes while n8n has
		// not yet recorded the first delivery (the trigger's 503), or a push that met n8n's own
		// "Database is not ready!" 503 when its database check timed out on a loaded machine.
		for (const push of answered) {
			expect([
				[200, 'success'],
				[503, expect.stringMatching(/still being recorded|Database is not ready/)],
			]).toContainEqual([push.httpStatus, push.body]);
		}

		// One more event, after every delivery above was answered, closes the count. Single pushes
		// from here on wait for their answer however loaded the machine is.
		sandbox.configure({ callback: null, pushTimeoutMs: 120_000 });
		expect(await pushEvent(SENTINEL_PUBLISH_ID, 3)).toEqual(SUCCESS);
		await catcher.waitFor((request) => request.path === '/event/other', 60_000);
		const executions = await cluster.main.waitForExecutions(TRIGGER_WORKFLOW_ID, EXECUTIONS + 1, 120_000);
		expect(executions).toHaveLength(EXECUTIONS + 1);
		expect(executions.map((execution) => execution.status)).toEqual(Array(EXECUTIONS + 1).fill('success'));

		const published = catcher.requests.filter((request) => request.path === '/event/published');
		const publishedIds = published.map((request) => String((request.body as { publish_id: unknown }).publish_id));
		expect(publishedIds.sort()).toEqual([...submitted].sort());
		const other = catcher.requests.filter((request) => request.path === '/event/other');
		expect(other.map((request) => request.body)).toEqual([
			expect.objectContaining({ publish_id: SENTINEL_PUBLISH_ID, publish_status: 3 }),
		]);
		// The Trigger answered in the webhook processor; the executions ran on the workers.
		const triggerIds = executions.map((execution) => execution.id);
		const byWorker = workersThatRan(triggerIds);
		expect(Object.values(byWorker).reduce((sum, n) => sum + n, 0)).toBe(EXECUTIONS + 1);
		report.trigger = {
			deliveries: pushes.length + 1,
			unansweredIn5s: pushes.length - answered.length,
			executions: executions.length,
			byWorker,
		};
	}, PHASE_TIMEOUT_MS);

	it('classic tokens: the workers retire each other\'s token; refresh-once keeps every execution alive', async () => {
		const before = counters(sandbox, service);
		const started = Date.now();
		// Two waves with more than the grace period between them: after the first, the token of the
		// worker that fetched first is retired, so the second wave meets WeChat's 40001.
		await startExecutions('classic', EXECUTIONS / 2);
		await finishedExecutions('classic', EXECUTIONS / 2);
		await sleep((CLASSIC_GRACE_SECONDS + 1) * 1000);
		await startExecutions('classic', EXECUTIONS / 2, EXECUTIONS / 2);
		const executionIds = await finishedExecutions('classic', EXECUTIONS);
		const seen = delta(counters(sandbox, service), before);
		const tokenErrors = seen.apiRequests - 3 * EXECUTIONS;
		const byWorker = workersThatRan(executionIds);
		report.classic = { ms: Date.now() - started, byWorker, tokenErrors, ...seen };

		for (const count of Object.values(byWorker)) expect(count).toBeGreaterThan(0);
		expect(seen.stableTokenRequests).toBe(0);
		// Each fetch retired the previous token: more tokens than processes, and calls refused.
		expect(seen.issuedClassic).toBe(seen.classicTokenRequests);
		expect(seen.issuedClassic).toBeGreaterThan(WORKERS);
		expect(seen.invalidatedTokens).toBe(seen.issuedClassic - 1);
		expect(tokenErrors).toBeGreaterThan(0);
		// A refused call was resent once with a fresh token; WeChat accepted each submit once.
		expect(seen.submits).toBe(EXECUTIONS);
		expect(seen.submitRequests - EXECUTIONS).toBeLessThanOrEqual(tokenErrors);
	}, PHASE_TIMEOUT_MS);

	it("token service: the workers share the service's authorizer token, one service call per worker, none invalidated", async () => {
		const before = counters(sandbox, service);
		const started = Date.now();
		await startExecutions('tokenService', EXECUTIONS);
		const executionIds = await finishedExecutions('tokenService', EXECUTIONS);
		const seen = delta(counters(sandbox, service), before);
		const byWorker = workersThatRan(executionIds);
		report.tokenService = { ms: Date.now() - started, byWorker, ...seen };

		const workersUsed = Object.values(byWorker).filter((count) => count > 0).length;
		expect(Object.values(byWorker).reduce((sum, n) => sum + n, 0)).toBe(EXECUTIONS);
		// At most one service call per worker in this token lifetime (7200 s, the run is shorter):
		// each worker that ran executions asked once, its concurrent executions shared the answer.
		expect(seen.serviceRequests).toBe(workersUsed);
		expect(seen.serviceRequests).toBeLessThanOrEqual(WORKERS);
		expect(seen.issuedAuthorizer).toBe(1);
		expect(seen.invalidatedTokens).toBe(0);
		// Nobody fetched WeChat tokens with an AppSecret, nothing was refused for its token.
		expect(seen.stableTokenRequests + seen.classicTokenRequests).toBe(0);
		expect(seen.apiRequests).toBe(3 * EXECUTIONS);
		expect(seen.submits).toBe(EXECUTIONS);
	}, PHASE_TIMEOUT_MS);

	it('the duplicate check is per webhook processor: a retry 5 s later on another one starts a second execution', async () => {
		await cluster.addWebhookProcessor();
		const before = (await cluster.main.executions({ workflowId: TRIGGER_WORKFLOW_ID })).length;
		// The event on one webhook processor, WeChat's retry 5 s later on the other, then once more
		// on each; then a sentinel to close the count.
		expect(await pushEvent(REPEATED_PUBLISH_ID, 0, 0)).toEqual(SUCCESS);
		await sleep(WECHAT_RETRY_SPACING_MS);
		for (const processor of [1, 0, 1]) expect(await pushEvent(REPEATED_PUBLISH_ID, 0, processor)).toEqual(SUCCESS);
		expect(await pushEvent(SECOND_SENTINEL_PUBLISH_ID, 3)).toEqual(SUCCESS);

		await catcher.waitFor((request) => request.path === '/event/other' && request.text.includes(SECOND_SENTINEL_PUBLISH_ID), 60_000);
		const executions = await cluster.main.waitForExecutions(TRIGGER_WORKFLOW_ID, before + 3, 120_000);
		expect(executions).toHaveLength(before + 3);
		const repeated = catcher.requests.filter(
			(request) => request.path === '/event/published' && request.text.includes(REPEATED_PUBLISH_ID),
		);
		expect(repeated).toHaveLength(2);
		report.twoWebhookProcessors = { deliveries: 4, retrySpacingMs: WECHAT_RETRY_SPACING_MS, executionsOfTheRepeatedEvent: repeated.length };
	}, PHASE_TIMEOUT_MS);
});
