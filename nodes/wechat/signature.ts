import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * WeChat's callback signature: sha1 over the parts sorted lexicographically and joined.
 * Plain `signature` signs [token, timestamp, nonce]; `msg_signature` adds the Encrypt text.
 */
export function computeSignature(...parts: string[]): string {
	return createHash('sha1').update(parts.sort().join('')).digest('hex');
}

/** Constant-time comparison, so a forger learns nothing from how long a refusal takes. */
export function signaturesMatch(expected: string, given: string | undefined): boolean {
	if (typeof given !== 'string' || given.length !== expected.length) return false;
	return timingSafeEqual(Buffer.from(expected, 'latin1'), Buffer.from(given, 'latin1'));
}
