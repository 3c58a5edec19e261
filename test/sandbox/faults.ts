import type { Fault } from './config';

/** Faults waiting for the next calls to a path, consumed in the order they were injected. */
export class FaultQueue {
	private readonly pending = new Map<string, Array<{ fault: Fault; remaining: number }>>();

	inject(path: string, fault: Fault, times = 1): void {
		if (!isFault(fault)) throw new TypeError('not a sandbox fault: ' + JSON.stringify(fault));
		if (!Number.isInteger(times) || times < 1) throw new TypeError('times must be a positive integer');
		const queue = this.pending.get(path) ?? [];
		queue.push({ fault, remaining: times });
		this.pending.set(path, queue);
	}

	/** The fault for this call to `path`, if one is waiting. */
	take(path: string): Fault | undefined {
		const queue = this.pending.get(path);
		const next = queue?.[0];
		if (!next) return undefined;
		if (--next.remaining === 0) queue.shift();
		if (queue.length === 0) this.pending.delete(path);
		return next.fault;
	}

	list(): Record<string, Array<{ fault: Fault; remaining: number }>> {
		return Object.fromEntries(this.pending);
	}

	clear(): void {
		this.pending.clear();
	}
}

export function isFault(value: unknown): value is Fault {
	if (typeof value !== 'object' || value === null) return false;
	const fault = value as Record<string, unknown>;
	return (
		typeof fault.errcode === 'number' ||
		typeof fault.httpStatus === 'number' ||
		fault.html === true ||
		fault.reset === true ||
		typeof fault.delayMs === 'number' ||
		fault.dropAnswer === true
	);
}
