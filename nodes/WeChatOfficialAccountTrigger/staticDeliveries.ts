import type { IDataObject } from 'n8n-workflow';

/**
 * WeChat retries within seconds (three tries, 5 s apart); ten minutes covers them with room, and
 * keeps the blob small: n8n writes the whole of it back to the database with each accepted push.
 */
export const STATIC_DELIVERY_MAX_AGE_MS = 10 * 60 * 1000;
export const STATIC_DELIVERY_MAX_ENTRIES = 200;

/**
 * The second duplicate check, in the trigger node's workflow static data: shared through n8n's
 * database by every process that serves the webhook (webhook processors in queue mode, or one n8n
 * after a restart). Best effort: n8n saves static data when it answers the request, so a retry
 * arriving before that answer does not see it, and every save replaces the whole blob (two
 * processes saving at once keep only one's entries). The in-process DeliveryLog stays the exact
 * check within a process.
 *
 * Records `key` at `now` (ms) in `staticData`; false when it is there already, younger than the
 * age bound.
 */
export function recordInStaticData(staticData: IDataObject, key: string, now: number): boolean {
	const stored = staticData.deliveries;
	const deliveries =
		stored !== null && typeof stored === 'object' && !Array.isArray(stored) ? (stored as Record<string, unknown>) : {};
	const seenAt = deliveries[key];
	if (typeof seenAt === 'number' && now - seenAt < STATIC_DELIVERY_MAX_AGE_MS) return false;
	const kept = Object.entries(deliveries)
		.filter((entry): entry is [string, number] => typeof entry[1] === 'number' && now - entry[1] < STATIC_DELIVERY_MAX_AGE_MS)
		.sort((a, b) => a[1] - b[1])
		.slice(-(STATIC_DELIVERY_MAX_ENTRIES - 1));
	// A new object, assigned: n8n marks static data changed (and saves it) on assignment.
	staticData.deliveries = Object.fromEntries([...kept, [key, now]]);
	return true;
}
