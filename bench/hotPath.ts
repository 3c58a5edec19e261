/**
 * 1. The trigger's hot path in process, per event, against a bare fast-xml-parser parse of the
 * same plaintext XML. Two forms of our side: the core functions the trigger calls, in its order
 * (inspectPush: size, envelope; verifyPush: signature or msg_signature, AES, appid, parse;
 * routePush: classify), and
 * the whole webhook() through an IWebhookFunctions double (credential read, options, dedup, the
 * answer, workflowData). Every round runs every variant, in a rotated order, after a warm-up.
 */
import type { IWebhookFunctions } from 'n8n-workflow';

import { XMLParser } from '../nodes/wechat/vendor/fast-xml-parser';
import { inspectPush, isRejection, routePush, verifyPush } from '../nodes/WeChatOfficialAccountTrigger/callback';
import { WeChatOfficialAccountTriggerV3 } from '../nodes/WeChatOfficialAccountTrigger/WeChatOfficialAccountTrigger.node';
import { createWebhookFunctions } from '../test/helpers/webhookFunctions';
import type { PushMode } from '../test/sandbox';
import { ACCOUNT, signedEvents, type BenchEventKind, type SignedEvent } from './events';
import { format, formatRatio, median, type SectionResult } from './report';

export const HOT_PATH_TARGET_RATIO = 1.5;
const EVENTS_PER_ROUND = 1000;
/**
 * Each round runs every variant in turn over slices of this many events, so a pause caused by
 * another process hits all variants of the round alike instead of one of them.
 */
const EVENTS_PER_SLICE = 50;
const WARMUP_ROUNDS = 5;
const ROUNDS = 41;
const DEFAULT_MAX_TIMESTAMP_AGE = 300;

/**
 * Runs events [first, first + EVENTS_PER_SLICE) of a round; resolves with the nanoseconds taken.
 * `baseline`: the bare parse of the same kind of event.
 */
type Variant = { name: string; baseline?: string; run: (round: number, first: number) => Promise<number> };

/** The trigger version every variant runs: the default, which routes both kinds of event. */
const TRIGGER_VERSION = 3;
const KIND_LABEL: Record<BenchEventKind, string> = { publish: '', massSend: ', mass-send event' };

async function timed(batch: () => Promise<void> | void): Promise<number> {
	const start = process.hrtime.bigint();
	await batch();
	return Number(process.hrtime.bigint() - start);
}

/** The trigger's webhook() for each event, each with its own request (n8n builds one per request too). */
function webhookCalls(events: SignedEvent[], workflowId: string): IWebhookFunctions[] {
	return events.map(
		(event) =>
			createWebhookFunctions(
				{ method: 'POST', query: event.query, rawBody: event.body, headers: { 'content-type': 'text/xml' } },
				// The plain variant's account is in plain mode although it has an EncodingAESKey.
				{ credentials: { ...ACCOUNT }, workflowId, parameters: { options: { acceptPlainPushes: true } }, typeVersion: TRIGGER_VERSION },
			).functions,
	);
}

function coreVariant(mode: PushMode, events: SignedEvent[], kind: BenchEventKind = 'publish'): Variant {
	const bodies = events.map((event) => Buffer.from(event.body, 'utf8'));
	return {
		name: `core ${mode}${KIND_LABEL[kind]}`,
		baseline: `bare parse${KIND_LABEL[kind]}`,
		run: (_round, first) =>
			timed(() => {
				const checks = { acceptPlainPushes: true, maxTimestampAge: DEFAULT_MAX_TIMESTAMP_AGE, nowSeconds: Math.floor(Date.now() / 1000) };
				for (let i = first; i < first + EVENTS_PER_SLICE; i++) {
					const inspected = inspectPush(events[i].query, bodies[i]);
					if (isRejection(inspected)) throw new Error(`bench event refused: ${inspected.reason}`);
					const push = verifyPush(events[i].query, inspected, ACCOUNT, checks);
					if (isRejection(push)) throw new Error(`bench event refused: ${push.reason}`);
					const routed = routePush(push.message, false, TRIGGER_VERSION);
					if (routed === undefined || isRejection(routed)) throw new Error('bench event not routed');
				}
			}),
	};
}

/** Distinct events for every round: a repeated one would be a duplicate and skip the run. */
function handlerVariant(mode: PushMode, rounds: number, kind: BenchEventKind = 'publish'): Variant {
	const trigger = new WeChatOfficialAccountTriggerV3();
	const perRound = Array.from({ length: rounds }, (_, round) =>
		webhookCalls(signedEvents(mode, EVENTS_PER_ROUND, round * EVENTS_PER_ROUND, kind), `bench-hot-path-${mode}-${kind}`),
	);
	return {
		name: `webhook() ${mode}${KIND_LABEL[kind]}`,
		baseline: `bare parse${KIND_LABEL[kind]}`,
		run: (round, first) =>
			timed(async () => {
				for (const functions of perRound[round].slice(first, first + EVENTS_PER_SLICE)) {
					const result = await trigger.webhook.call(functions);
					if (!result.workflowData) throw new Error('bench event started no workflow');
				}
			}),
	};
}

function bareParseVariant(events: SignedEvent[], kind: BenchEventKind = 'publish'): Variant {
	const parser = new XMLParser();
	return {
		name: `bare parse${KIND_LABEL[kind]}`,
		run: (_round, first) =>
			timed(() => {
				for (let i = first; i < first + EVENTS_PER_SLICE; i++) parser.parse(events[i].xml);
			}),
	};
}

export async function benchHotPath(): Promise<SectionResult> {
	const totalRounds = WARMUP_ROUNDS + ROUNDS;
	const safe = signedEvents('safe', EVENTS_PER_ROUND);
	const plain = signedEvents('plain', EVENTS_PER_ROUND);
	const massSend = signedEvents('safe', EVENTS_PER_ROUND, 0, 'massSend');
	const variants: Variant[] = [
		bareParseVariant(safe),
		bareParseVariant(massSend, 'massSend'),
		coreVariant('safe', safe),
		coreVariant('plain', plain),
		coreVariant('safe', massSend, 'massSend'),
		handlerVariant('safe', totalRounds),
		handlerVariant('plain', totalRounds),
		handlerVariant('safe', totalRounds, 'massSend'),
	];
	const nsPerEvent = new Map<string, number[]>(variants.map((variant) => [variant.name, []]));
	const ratios = new Map<string, number[]>(variants.map((variant) => [variant.name, []]));
	for (let round = 0; round < totalRounds; round++) {
		const thisRound = new Map<string, number>(variants.map((variant) => [variant.name, 0]));
		for (let first = 0, slice = 0; first < EVENTS_PER_ROUND; first += EVENTS_PER_SLICE, slice++) {
			for (let k = 0; k < variants.length; k++) {
				const variant = variants[(round + slice + k) % variants.length];
				const ns = await variant.run(round, first);
				thisRound.set(variant.name, (thisRound.get(variant.name) as number) + ns / EVENTS_PER_ROUND);
			}
		}
		if (round < WARMUP_ROUNDS) continue;
		for (const variant of variants) {
			const ns = thisRound.get(variant.name) as number;
			nsPerEvent.get(variant.name)?.push(ns);
			ratios.get(variant.name)?.push(ns / (thisRound.get(variant.baseline ?? variant.name) as number));
		}
	}

	const result: SectionResult = { rows: [], notMeasured: [], notes: [] };
	for (const variant of variants.filter((candidate) => candidate.baseline !== undefined)) {
		const baselineNs = median(nsPerEvent.get(variant.baseline as string) as number[]);
		const ns = median(nsPerEvent.get(variant.name) as number[]);
		const ratio = median(ratios.get(variant.name) as number[]);
		result.rows.push({
			measurement: `1. hot path, ${variant.name}`,
			ours: `${format(1e9 / ns)} events/s (${format(ns / 1000, 1)} µs)`,
			reference: `${variant.baseline as string} ${format(1e9 / baselineNs)} events/s (${format(baselineNs / 1000, 1)} µs)`,
			ratio: formatRatio(ratio),
			target: `≤ ${HOT_PATH_TARGET_RATIO}x`,
			met: ratio <= HOT_PATH_TARGET_RATIO,
		});
	}
	result.notes.push(
		`1. ${ROUNDS} rounds of ${EVENTS_PER_ROUND} distinct PUBLISHJOBFINISH events (and, in the mass-send rows, MASSSENDJOBFINISH events, against a bare parse of those) through trigger version ${TRIGGER_VERSION} after ${WARMUP_ROUNDS} warm-up rounds; within a round the variants take turns, in rotated order, every ${EVENTS_PER_SLICE} events; median of the per-round ratios. webhook() runs through test/helpers/webhookFunctions.ts (n8n's own IWebhookFunctions costs more, see 2).`,
	);
	return result;
}
