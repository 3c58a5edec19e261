/**
 * WeChat delivers a push up to three times (5 s apart) when the answer is slow or lost; an hour
 * also covers retries after a restart of the sender, and bounds memory.
 */
export const DELIVERY_MAX_AGE_MS = 60 * 60 * 1000;
/** Per trigger node: far above any account's push rate over the age bound. */
export const DELIVERY_MAX_ENTRIES = 10_000;
/** Trigger nodes remembered at once, least recently used forgotten first. */
export const DELIVERY_MAX_SCOPES = 1_000;

/**
 * The deliveries each trigger node accepted, in process memory. Not workflow static data: n8n
 * saves that only when an execution ends, so a retry arriving meanwhile would not see the first
 * delivery (reference/n8n.md). Insertion order is time order, so the oldest entry is always first.
 */
export class DeliveryLog {
	private readonly scopes = new Map<string, Map<string, number>>();

	constructor(
		private readonly maxEntries = DELIVERY_MAX_ENTRIES,
		private readonly maxAgeMs = DELIVERY_MAX_AGE_MS,
		private readonly maxScopes = DELIVERY_MAX_SCOPES,
	) {}

	/**
	 * Records `key` as delivered in `scope` (one trigger node) at `now` (ms). False when it was
	 * already delivered there within the age bound: a duplicate, recorded no further.
	 */
	record(scope: string, key: string, now: number): boolean {
		const delivered = this.touchScope(scope);
		for (const [oldKey, at] of delivered) {
			if (now - at < this.maxAgeMs) break;
			delivered.delete(oldKey);
		}
		if (delivered.has(key)) return false;
		delivered.set(key, now);
		if (delivered.size > this.maxEntries) delivered.delete(delivered.keys().next().value as string);
		return true;
	}

	private touchScope(scope: string): Map<string, number> {
		const delivered = this.scopes.get(scope) ?? new Map<string, number>();
		this.scopes.delete(scope);
		this.scopes.set(scope, delivered);
		if (this.scopes.size > this.maxScopes) this.scopes.delete(this.scopes.keys().next().value as string);
		return delivered;
	}
}
