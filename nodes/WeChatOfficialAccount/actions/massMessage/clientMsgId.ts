import { createHash } from 'node:crypto';

import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** WeChat's limit on clientmsgid (45067 beyond it). */
export const MAX_CLIENT_MSG_ID_BYTES = 64;

/**
 * The clientmsgid of a send without the option: the same draft, audience and reprint choice give
 * the same key, so a re-run is answered with the earlier send (45065) instead of a second one.
 * 44 bytes: `n8n-` and 40 hex digits of a SHA-256.
 */
export function deriveClientMsgId(mediaId: string, audience: string, sendIgnoreReprint: boolean): string {
	const digest = createHash('sha256').update([mediaId, audience, sendIgnoreReprint ? 'reprint' : 'original'].join('\n')).digest('hex');
	return `n8n-${digest.slice(0, 40)}`;
}

/** The Client Msg ID option, trimmed; undefined when empty; an error (before any call) beyond 64 bytes. */
export function readClientMsgId(context: IExecuteFunctions, value: unknown, itemIndex: number): string | undefined {
	const text = value === undefined || value === null ? '' : String(value).trim();
	if (text === '') return undefined;
	const bytes = Buffer.byteLength(text, 'utf8');
	if (bytes > MAX_CLIENT_MSG_ID_BYTES) {
		throw new NodeOperationError(context.getNode(), `The Client Msg ID is ${bytes} bytes long; WeChat takes at most ${MAX_CLIENT_MSG_ID_BYTES}: nothing was sent`, {
			description: 'Shorten it, or leave it empty to let the node derive one from the draft and the recipients',
			itemIndex,
		});
	}
	return text;
}
