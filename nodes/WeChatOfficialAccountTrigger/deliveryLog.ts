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
 * One trigger node's entries: a Map for lookups and a queue of the same keys in insertion order
 * for eviction. Reading a Map from its oldest entry instead would step over every slot deleted
 * before it, which made each record() walk thousands of slots once a node reached its bound.
 * The queue is two parallel arrays, not an object per entry: tens of thousands fewer objects.
 */
class NodeEntries<V> {
	private readonly entries = new Map<string, { value: V; expiresAt: number; slot: number }>();
	/** Keys in insertion order, with the slot each was queued under (a key stored again after expiring is queued again). */
	private queuedKeys: string[] = [];
	private queuedSlots: number[] = [];
	private head = 0;
	private slots = 0;

	get size(): number {
		return this.entries.size;
	}

	/** The value kept for `key`, or undefined after storing `value` until `expiresAt`. */
	remember(key: string, value: V, now: number, expiresAt: number, maxEntries: number): V | undefined {
		while (this.head < this.queuedKeys.length && this.frontIsStale(now)) this.evictOldest();
		const kept = this.entries.get(key);
		if (kept !== undefined && kept.expiresAt > now) return kept.value;
		const slot = this.slots++;
		this.entries.set(key, { value, expiresAt, slot });
		this.queuedKeys.push(key);
		this.queuedSlots.push(slot);
		if (this.entries.size > maxEntries) this.evictOldest();
		return undefined;
	}

	/** Drops `key` (its queued slot is skipped when it reaches the front). */
	forget(key: string): void {
		this.entries.delete(key);
	}

	/** The oldest queued slot has expired, or its key was stored again since. */
	private frontIsStale(now: number): boolean {
		const entry = this.entries.get(this.queuedKeys[this.head]);
		return entry === undefined || entry.slot !== this.queuedSlots[this.head] || entry.expiresAt <= now;
	}

	private evictOldest(): void {
		const key = this.queuedKeys[this.head];
		const slot = this.queuedSlots[this.head++];
		// A key stored again sits further back in the queue too; only its newest slot evicts it.
		if (this.entries.get(key)?.slot === slot) this.entries.delete(key);
		// Drop the consumed front once it is half the queue: amortised O(1) per entry.
		if (this.head * 2 >= this.queuedKeys.length) {
			this.queuedKeys = this.queuedKeys.slice(this.head);
			this.queuedSlots = this.queuedSlots.slice(this.head);
			this.head = 0;
		}
	}
}

/** Entries per trigger node, each kept until its expiry, bounded in count per node and in nodes. */
class ScopedLog<V> {
	private readonly scopes = new Map<string, NodeEntries<V>>();

	constructor(
		private readonly maxEntries: number,
		private readonly maxScopes: number,
	) {}

	remember(scope: string, key: string, value: V, now: number, expiresAt: number): V | undefined {
		return this.touchScope(scope).remember(key, value, now, expiresAt, this.maxEntries);
	}

	size(scope: string): number {
		return this.scopes.get(scope)?.size ?? 0;
	}

	forget(scope: string, key: string): void {
		this.scopes.get(scope)?.forget(key);
	}

	/** The scope used last: a push to the same trigger node as the one before skips the LRU reordering. */
	private newest?: { scope: string; entries: NodeEntries<V> };

	private touchScope(scope: string): NodeEntries<V> {
		if (this.newest !== undefined && this.newest.scope === scope) return this.newest.entries;
		const entries = this.scopes.get(scope) ?? new NodeEntries<V>();
		this.scopes.delete(scope);
		this.scopes.set(scope, entries);
		if (this.scopes.size > this.maxScopes) this.scopes.delete(this.scopes.keys().next().value as string);
		this.newest = { scope, entries };
		return entries;
	}
}

/** A delivery handed to n8n: `pending` until n8n has answered it (so created its execution). */
export type DeliveryState = 'pending' | 'recorded';

/**
 * The deliveries each trigger node accepted, in process memory: exact within one process. Not
 * workflow static data: tried as a second check across webhook processors, a WeChat-spaced retry
 * on the other processor still started a second execution in the queue-mode test (see
 * docs/queue-mode.md).
 * A retry of an event whose first delivery n8n has not yet recorded must not be acknowledged:
 * if n8n dies before recording it, WeChat would never send it again.
 */
export class DeliveryLog {
	private readonly log: ScopedLog<{ state: DeliveryState }>;

	constructor(
		maxEntries = DELIVERY_MAX_ENTRIES,
		private readonly maxAgeMs = DELIVERY_MAX_AGE_MS,
		maxScopes = DELIVERY_MAX_SCOPES,
	) {
		this.log = new ScopedLog(maxEntries, maxScopes);
	}

	/**
	 * Records `key` as delivered in `scope` (one trigger node) at `now` (ms), pending. 'new' when
	 * it was not delivered there within the age bound; else the state of the earlier delivery.
	 */
	record(scope: string, key: string, now: number): 'new' | DeliveryState {
		const earlier = this.log.remember(scope, key, { state: 'pending' }, now, now + this.maxAgeMs);
		return earlier === undefined ? 'new' : earlier.state;
	}

	/** The delivery's run was recorded by n8n, or (`recorded` false) was not: forgotten, so a retry runs it. */
	settle(scope: string, key: string, recorded: boolean, now: number): void {
		const entry = this.log.remember(scope, key, { state: 'recorded' }, now, now + this.maxAgeMs);
		if (entry === undefined) {
			if (!recorded) this.log.forget(scope, key);
			return;
		}
		if (recorded) entry.state = 'recorded';
		else this.log.forget(scope, key);
	}

	/** Deliveries remembered for `scope` (for the memory bench). */
	size(scope: string): number {
		return this.log.size(scope);
	}
}

/** What a signed URL of WeChat's URL check (GET) is remembered with: no body hash equals it. */
export const URL_CHECK = 'GET';

/**
 * The signed URLs (timestamp + nonce) each trigger node accepted, with a hash of the body they
 * carried (or URL_CHECK), for as long as their timestamp passes the age check. WeChat's
 * `signature` covers the Token, timestamp and nonce but not the body: whoever sees one signed URL
 * could post another body under it; remembered, it can carry only the body WeChat sent.
 */
export class SignedUrlLog {
	private readonly log = new ScopedLog<string>(DELIVERY_MAX_ENTRIES, DELIVERY_MAX_SCOPES);

	/**
	 * 'new' (now remembered until `expiresAt`), 'same' (this URL carried this body before: a
	 * retry) or 'other' (it carried another body: refuse).
	 */
	remember(scope: string, signedUrl: string, bodyHash: string, now: number, expiresAt: number): 'new' | 'same' | 'other' {
		const kept = this.log.remember(scope, signedUrl, bodyHash, now, expiresAt);
		if (kept === undefined) return 'new';
		return kept === bodyHash ? 'same' : 'other';
	}
}

/** The trigger's deliveries, shared by every trigger node of this process. */
export const triggerDeliveries = new DeliveryLog();
/** The trigger's signed URLs, shared by every trigger node of this process. */
export const triggerSignedUrls = new SignedUrlLog();
