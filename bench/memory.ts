/**
 * 4. Memory: 100,000 distinct safe-mode events through the trigger's webhook() in this process.
 * Events are made in batches (outside the handler) and dropped after use, so what stays is what
 * the trigger keeps; RSS and heap are read after a full GC before and after.
 */
import { DELIVERY_MAX_ENTRIES, triggerDeliveries } from '../nodes/WeChatOfficialAccountTrigger/deliveryLog';
import { WeChatOfficialAccountTriggerV3 } from '../nodes/WeChatOfficialAccountTrigger/WeChatOfficialAccountTrigger.node';
import { createWebhookFunctions } from '../test/helpers/webhookFunctions';
import { ACCOUNT, signedEvents } from './events';
import { format, type SectionResult } from './report';

const EVENTS = 100_000;
const BATCH = 1000;
const TARGET_MB = 20;
const WORKFLOW_ID = 'bench-memory';
const NODE_ID = 'bench-memory-node';
const MB = 1024 * 1024;

function settledMemory(): NodeJS.MemoryUsage {
	const gc = (globalThis as { gc?: () => void }).gc;
	gc?.();
	gc?.();
	return process.memoryUsage();
}

/** Every other batch is MASSSENDJOBFINISH events, routed by version 3 like the publish events. */
async function deliverBatch(trigger: WeChatOfficialAccountTriggerV3, first: number, nodeId = NODE_ID): Promise<number> {
	let started = 0;
	for (const event of signedEvents('safe', BATCH, first, (first / BATCH) % 2 === 0 ? 'publish' : 'massSend')) {
		const { functions } = createWebhookFunctions(
			{ method: 'POST', query: event.query, rawBody: event.body, headers: { 'content-type': 'text/xml' } },
			{ credentials: { ...ACCOUNT }, workflowId: WORKFLOW_ID, nodeId, typeVersion: 3 },
		);
		if ((await trigger.webhook.call(functions)).workflowData) started++;
	}
	return started;
}

export async function benchMemory(): Promise<SectionResult> {
	const result: SectionResult = { rows: [], notMeasured: [], notes: [] };
	if (typeof (globalThis as { gc?: unknown }).gc !== 'function') {
		result.notMeasured.push('4. memory: needs node --expose-gc (npm run bench passes it); without a forced GC the figures would be noise');
		return result;
	}
	const trigger = new WeChatOfficialAccountTriggerV3();
	const scope = `${WORKFLOW_ID}\n${NODE_ID}`;
	// A batch to another trigger node loads and compiles everything; then the baseline is taken.
	await deliverBatch(trigger, 0, `${NODE_ID}-warm-up`);
	const before = settledMemory();
	const storeBefore = triggerDeliveries.size(scope);
	let started = 0;
	let halfway = before;
	for (let first = 0; first < EVENTS; first += BATCH) {
		if (first === EVENTS / 2) halfway = settledMemory();
		started += await deliverBatch(trigger, first);
	}
	const after = settledMemory();
	const storeAfter = triggerDeliveries.size(scope);

	const rssGrowth = (after.rss - before.rss) / MB;
	const heapGrowth = (after.heapUsed - before.heapUsed) / MB;
	result.rows.push(
		{
			measurement: `4. RSS growth over ${format(EVENTS)} events (half of them mass-send results)`,
			ours: `${rssGrowth.toFixed(1)} MB (${(before.rss / MB).toFixed(0)} → ${(after.rss / MB).toFixed(0)} MB)`,
			target: `< ${TARGET_MB} MB`,
			met: rssGrowth < TARGET_MB,
		},
		{
			measurement: '4. heap used growth',
			ours: `${heapGrowth.toFixed(1)} MB (${(before.heapUsed / MB).toFixed(0)} → ${(after.heapUsed / MB).toFixed(0)} MB)`,
			target: `< ${TARGET_MB} MB`,
			met: heapGrowth < TARGET_MB,
		},
		{
			measurement: `4. heap used growth over the second ${format(EVENTS / 2)} (store already full)`,
			ours: `${((after.heapUsed - halfway.heapUsed) / MB).toFixed(1)} MB`,
		},
		{
			measurement: '4. dedup store entries (one trigger node)',
			ours: `${format(storeBefore)} → ${format(storeAfter)}`,
			target: `at its bound, ${format(DELIVERY_MAX_ENTRIES)}`,
			met: storeAfter === DELIVERY_MAX_ENTRIES,
		},
		{
			measurement: '4. events that started a run',
			ours: format(started),
			target: format(EVENTS),
			met: started === EVENTS,
		},
	);
	return result;
}
