import { hash, timingSafeEqual } from 'node:crypto';

/**
 * WeChat's callback signature: sha1 over the parts sorted lexicographically and joined.
 * Plain `signature` signs [token, timestamp, nonce]; `msg_signature` adds the Encrypt text.
 * One `hash` call: a Hash object per push cost more than the digest of a short text.
 */
export function computeSignature(...parts: string[]): string {
	return hash('sha1', parts.sort().join(''));
}

/** Constant-time comparison, so a forger learns nothing from how long a refusal takes. */
export function signaturesMatch(expected: string, given: string | undefined): boolean {
	if (typeof given !== 'string' || given.length !== expected.length) return false;
	return timingSafeEqual(Buffer.from(expected, 'latin1'), Buffer.from(given, 'latin1'));
}
