/**
 * 8. A forged 1 MiB push through the trigger's webhook() (the IWebhookFunctions double, in
 * process): in compatible/safe mode (encrypt_type=aes, a wrong msg_signature, one 1 MiB
 * `<Encrypt>`) against plain mode (a wrong signature, a 1 MiB XML body). Both are refused; the
 * aes one must cost at most twice the plain one: nothing is parsed before a signature holds.
 * Runs alternate A B, and the credential is cached, as it is after the first request.
 */
import { WeChatOfficialAccountTriggerV1 } from '../nodes/WeChatOfficialAccountTrigger/WeChatOfficialAccountTrigger.node';
import { callWebhook, type WebhookRequest } from '../test/helpers/webhookFunctions';
import { ACCOUNT } from './events';
import { format, formatRatio, median, type SectionResult } from './report';

const BODY_BYTES = 1024 * 1024;
const ROUNDS = 41;
const WARMUP_ROUNDS = 5;
const TARGET_RATIO = 2;

function forged(mode: 'plain' | 'aes'): WebhookRequest {
	const timestamp = String(Math.floor(Date.now() / 1000));
	const query: Record<string, string> = { signature: '0'.repeat(40), timestamp, nonce: '424242' };
	const head = '<xml><ToUserName><![CDATA[gh_4d00ed8d6399]]></ToUserName>';
	const tail = '</xml>';
	if (mode === 'plain') {
		const pad = BODY_BYTES - head.length - tail.length - '<Content></Content>'.length;
		return { method: 'POST', query, rawBody: `${head}<Content>${'x'.repeat(pad)}</Content>${tail}` };
	}
	query.encrypt_type = 'aes';
	query.msg_signature = '0'.repeat(40);
	const pad = BODY_BYTES - head.length - tail.length - '<Encrypt><![CDATA[]]></Encrypt>'.length;
	return { method: 'POST', query, rawBody: `${head}<Encrypt><![CDATA[${'A'.repeat(pad)}]]></Encrypt>${tail}` };
}

export async function benchForgedFlood(): Promise<SectionResult> {
	const trigger = new WeChatOfficialAccountTriggerV1();
	// An account that takes plain pushes, so the plain request reaches its signature check.
	const context = { credentials: { ...ACCOUNT }, workflowId: 'bench-forged', nodeId: 'bench-forged-node', parameters: { options: { acceptPlainPushes: true } } };
	const requests = { plain: forged('plain'), aes: forged('aes') };
	const times: Record<'plain' | 'aes', number[]> = { plain: [], aes: [] };
	const statuses = new Set<string>();
	for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
		for (const mode of round % 2 ? (['aes', 'plain'] as const) : (['plain', 'aes'] as const)) {
			// A Buffer per request, as n8n gives each request its own rawBody.
			const request = { ...requests[mode], rawBody: Buffer.from(requests[mode].rawBody as string) };
			const start = process.hrtime.bigint();
			const call = await callWebhook(trigger, request, context);
			const ns = Number(process.hrtime.bigint() - start);
			statuses.add(`${mode} ${call.response.status}`);
			if (call.result.workflowData !== undefined) throw new Error(`a forged ${mode} push started a run`);
			if (round >= WARMUP_ROUNDS) times[mode].push(ns);
		}
	}
	const plain = median(times.plain);
	const aes = median(times.aes);
	return {
		rows: [
			{
				measurement: '8. forged 1 MiB push, aes (wrong msg_signature) vs plain (wrong signature), webhook() in process',
				ours: `${format(aes / 1e6, 2)} ms`,
				reference: `plain ${format(plain / 1e6, 2)} ms`,
				ratio: formatRatio(aes / plain),
				target: `≤ ${TARGET_RATIO}x`,
				met: aes / plain <= TARGET_RATIO,
			},
		],
		notMeasured: [],
		notes: [
			`8. ${ROUNDS} alternating pairs after ${WARMUP_ROUNDS} warm-up pairs, medians; answers ${[...statuses].sort().join(', ')}. Neither parses the body: the aes one is refused by its size (the 64 KiB envelope cap) before its signature is computed, the plain one (to an account taking plain pushes) by its signature, after decoding the 1 MiB as text.`,
		],
	};
}
