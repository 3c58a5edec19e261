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
 * One trigger node's deliveries: a Map for lookups and a queue of the same keys in time order for
 * eviction. Reading a Map from its oldest entry instead would step over every slot deleted before
 * it, which made each record() walk thousands of slots once a node reached its bound.
 */
class NodeDeliveries {
	private readonly deliveredAt = new Map<string, number>();
	private queue: string[] = [];
	private head = 0;

	get size(): number {
		return this.deliveredAt.size;
	}

	record(key: string, now: number, maxEntries: number, maxAgeMs: number): boolean {
		while (this.head < this.queue.length && now - (this.deliveredAt.get(this.queue[this.head]) as number) >= maxAgeMs) {
			this.evictOldest();
		}
		if (this.deliveredAt.has(key)) return false;
		this.deliveredAt.set(key, now);
		this.queue.push(key);
		if (this.deliveredAt.size > maxEntries) this.evictOldest();
		return true;
	}

	private evictOldest(): void {
		this.deliveredAt.delete(this.queue[this.head++]);
		// Drop the consumed front once it is half the queue: amortised O(1) per delivery.
		if (this.head * 2 >= this.queue.length) {
			this.queue = this.queue.slice(this.head);
			this.head = 0;
		}
	}
}

/**
 * The deliveries each trigger node accepted, in process memory. Not workflow static data: n8n
 * saves that only when an execution ends, so a retry arriving meanwhile would not see the first
 * delivery (https://docs.n8n.io/code/cookbook/builtin/get-workflow-static-data/).
 */
export class DeliveryLog {
	private readonly scopes = new Map<string, NodeDeliveries>();

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
		return this.touchScope(scope).record(key, now, this.maxEntries, this.maxAgeMs);
	}

	/** Deliveries remembered for `scope` (for the memory bench). */
	size(scope: string): number {
		return this.scopes.get(scope)?.size ?? 0;
	}

	private touchScope(scope: string): NodeDeliveries {
		const delivered = this.scopes.get(scope) ?? new NodeDeliveries();
		this.scopes.delete(scope);
		this.scopes.set(scope, delivered);
		if (this.scopes.size > this.maxScopes) this.scopes.delete(this.scopes.keys().next().value as string);
		return delivered;
	}
}

/** The trigger's deliveries, shared by every trigger node of this process. */
export const triggerDeliveries = new DeliveryLog();
