import { SANDBOX_DEFAULTS, toXml } from '../sandbox';
import { deliverLikeWeChat, envelope, signPush, type PushAnswer } from '../sandbox/pusher';
import { N8nInstance, type Execution, type WorkflowJson } from './harness/n8n';
import { n8nLine } from './harness/runtime';
import { chain, weChatTriggerNode, workflow } from './harness/workflow-builders';

/**
 * "Acknowledged" means "recorded", in a real n8n 2: 200 distinct PUBLISHJOBFINISH pushes at 20 at a
 * time, n8n killed with SIGKILL in the middle of the burst and started again on the same user
 * folder and port. Each push is delivered like WeChat delivers it (5 s per try, three tries, the
 * next one 5 s after the previous began), so a push left unanswered by the crash comes again.
 * Every event answered `success` must have an execution; every event answered `success` at its
 * first try exactly one (no loss, no double run); a second execution is only possible for a push
 * whose answer the crash swallowed, and is counted. An event can end without execution only if
 * n8n stayed down through all three of WeChat's tries (the restart takes longer than 10 s on a
 * loaded machine); the test prints how many.
 *
 * On n8n 1.x (the 1.x stage) the same burst shows what that line guarantees instead: its webhook
 * helper answers before WorkflowRunner.run creates the execution, so answers come before their
 * executions start (counted), and an event answered in the moment before the kill can be lost:
 * counted, and only events answered just before the kill. Everything else holds on both lines.
 */

const EVENTS = 200;
const CONCURRENCY = 20;
/** The crash comes once this many pushes were answered. */
const KILL_AFTER_ANSWERS = 80;
const PUSH_TIMEOUT_MS = 5_000;
/** About a minute on a quiet machine; two n8n starts take minutes when the 2 cores are shared. */
const CHAOS_TIMEOUT_MS = 600_000;
const CREDENTIAL = { id: 'chaosWeChatCred1', name: 'Chaos WeChat' };
const WEBHOOK_ID = '4f2a7c1d-9e3b-4a5c-8d6e-1b0f2a3c4d5e';
const FIRST_PUBLISH_ID = 7_100_000_000_000_000_000n;
/**
 * On n8n 1.x an acknowledged event can be lost only if the kill came between its answer and its
 * execution row: a few milliseconds, longer while SQLite queues the burst's inserts. Bound: 5 s.
 */
const N8N1_LOSS_WINDOW_MS = 5_000;

const NO_OP = { id: 'noop', name: 'No Operation', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} };

function chaosWorkflow(): WorkflowJson {
	return workflow({
		id: 'chaosWeChatHook1',
		name: 'Chaos: WeChat trigger to NoOp',
		active: true,
		nodes: [weChatTriggerNode({ webhookId: WEBHOOK_ID, typeVersion: 2, credential: CREDENTIAL }), NO_OP],
		connections: chain('WeChat Trigger', NO_OP.name),
	});
}

interface EventRecord {
	publishId: string;
	answers: PushAnswer[];
	/** When its `success` arrived (Date.now()). */
	acknowledgedAt?: number;
}

function histogram(values: string[]): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
	return counts;
}

/** The publish_id each execution was started for (from its data, whether it ran or crashed). */
function publishIdOf(execution: Execution): string | undefined {
	return /"publish_id":"(\d+)"/.exec(JSON.stringify(execution.data ?? {}))?.[1];
}

describe('trigger under a crash: acknowledged means recorded', () => {
	let n8n: N8nInstance;

	afterAll(async () => {
		await n8n?.stop();
	});

	const promise =
		n8nLine() === 2
			? 'loses no event answered success and runs none of them twice'
			: 'answers before recording (n8n 1.x): loses only events answered just before the kill, runs none twice';
	it(`${promise}, while n8n is killed and restarted mid-burst`, async () => {
		const { appId, appSecret, token, encodingAesKey } = SANDBOX_DEFAULTS;
		n8n = await N8nInstance.start({
			workflows: [chaosWorkflow()],
			credentials: [
				{
					...CREDENTIAL,
					type: 'weChatOfficialAccountApi',
					// The trigger calls no API: nothing listens at the base URL.
					data: { appId, appSecret, baseUrl: 'http://127.0.0.1:9', authMode: 'stable', token, encodingAesKey },
				},
			],
			logLevel: 'warn',
		});
		const url = n8n.webhookUrl(`${WEBHOOK_ID}/webhook`);
		const aborter = new AbortController();
		const events: EventRecord[] = Array.from({ length: EVENTS }, (_, index) => ({
			publishId: String(FIRST_PUBLISH_ID + BigInt(index)),
			answers: [],
		}));
		let answered = 0;
		let next = 0;
		let killedAt = 0;
		let restartedAt = 0;
		const crash = (async () => {
			while (answered < KILL_AFTER_ANSWERS) await new Promise((resolve) => setTimeout(resolve, 10));
			killedAt = Date.now();
			await n8n.kill();
			await n8n.restart();
			restartedAt = Date.now();
		})();
		const sender = async () => {
			while (next < EVENTS) {
				const event = events[next++];
				const xml = toXml(
					envelope({ MsgType: 'event', Event: 'PUBLISHJOBFINISH', PublishEventInfo: { publish_id: BigInt(event.publishId), publish_status: 0 } }),
				);
				const push = signPush(xml, 'safe', SANDBOX_DEFAULTS);
				await deliverLikeWeChat(url, push, PUSH_TIMEOUT_MS, aborter.signal, (answer) => {
					event.answers.push(answer);
					if (answer.status === 200) answered++;
					if (answer.status === 200 && answer.body === 'success') event.acknowledgedAt = Date.now();
				});
			}
		};
		const started = Date.now();
		await Promise.all(Array.from({ length: CONCURRENCY }, sender));
		await crash;
		const burstMs = Date.now() - started;

		// Every execution n8n created, in any state (those the crash cut short included), settled.
		let executions: Execution[] = [];
		for (let stable = 0, seen = -1; stable < 3; ) {
			await new Promise((resolve) => setTimeout(resolve, 1_000));
			executions = await n8n.executions({ workflowId: 'chaosWeChatHook1', includeData: true });
			stable = executions.length === seen ? stable + 1 : 0;
			seen = executions.length;
		}
		const runs = new Map<string, number>();
		/** The earliest start of an execution of each publish_id. */
		const startedAt = new Map<string, number>();
		for (const execution of executions) {
			const publishId = publishIdOf(execution);
			if (!publishId) continue;
			runs.set(publishId, (runs.get(publishId) ?? 0) + 1);
			const started = Date.parse(execution.startedAt);
			if (Number.isFinite(started)) startedAt.set(publishId, Math.min(started, startedAt.get(publishId) ?? Infinity));
		}

		const success = (answer: PushAnswer) => answer.status === 200 && answer.body === 'success';
		const acknowledged = events.filter((event) => event.answers.some(success));
		const firstTry = events.filter((event) => event.answers.length === 1 && success(event.answers[0]));
		const redelivered = events.filter((event) => event.answers.length > 1);
		const ranTwice = events.filter((event) => (runs.get(event.publishId) ?? 0) > 1);
		const neverAnswered = events.filter((event) => !event.answers.some(success));
		const lost = acknowledged.filter((event) => !runs.has(event.publishId));
		// Answered before n8n started its execution (n8n 1.x's order; n8n 2 answers after).
		const answeredFirst = acknowledged.filter((event) => (startedAt.get(event.publishId) ?? -Infinity) > event.acknowledgedAt!);
		const report = {
			n8n: n8nLine(),
			events: EVENTS,
			concurrency: CONCURRENCY,
			acknowledged: acknowledged.length,
			acknowledgedAtFirstTry: firstTry.length,
			redelivered: redelivered.length,
			ranTwice: ranTwice.length,
			neverAcknowledged: neverAnswered.length,
			acknowledgedButLost: lost.length,
			lostAnsweredMsBeforeKill: lost.map((event) => killedAt - event.acknowledgedAt!),
			answeredBeforeExecutionStarted: answeredFirst.length,
			withoutExecution: events.filter((event) => !runs.has(event.publishId)).length,
			answersOfEventsWithoutExecution: histogram(
				events.filter((event) => !runs.has(event.publishId)).flatMap((event) => event.answers.map((answer) => String(answer.status))),
			),
			executions: executions.length,
			executionStatuses: histogram(executions.map((execution) => execution.status)),
			n8nDownMs: restartedAt - killedAt,
			burstMs,
		};
		process.stderr.write(`trigger chaos: ${JSON.stringify(report)}\n`);

		expect(killedAt).toBeGreaterThan(0);
		if (n8nLine() === 2) {
			// Nothing acknowledged is lost, and no answer comes before its execution started.
			expect(lost.map((event) => event.publishId)).toEqual([]);
			expect(answeredFirst.map((event) => event.publishId)).toEqual([]);
			// Acknowledged at the first try: exactly one execution.
			expect(firstTry.filter((event) => runs.get(event.publishId) !== 1).map((event) => event.publishId)).toEqual([]);
		} else {
			// n8n 1.x answers first: most executions start after their answer arrived, and an event
			// is lost only when the kill came right after its answer.
			expect(answeredFirst.length).toBeGreaterThan(0);
			for (const event of lost) expect(killedAt - event.acknowledgedAt!).toBeLessThan(N8N1_LOSS_WINDOW_MS);
			expect(firstTry.filter((event) => (runs.get(event.publishId) ?? 0) > 1).map((event) => event.publishId)).toEqual([]);
		}
		// A second execution only where a delivery went unanswered, and never more than the deliveries.
		expect(ranTwice.filter((event) => event.answers.length < 2).map((event) => event.publishId)).toEqual([]);
		for (const event of events) expect(runs.get(event.publishId) ?? 0).toBeLessThanOrEqual(event.answers.length);
		// An event without an execution is one WeChat gave up on, never acknowledged (asserted above):
		// its tries met n8n down, starting (404 before its webhooks are registered) or too slow.
		// No execution for anything but these events.
		expect(executions.every((execution) => publishIdOf(execution) !== undefined)).toBe(true);
	}, CHAOS_TIMEOUT_MS);
});
