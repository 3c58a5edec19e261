/**
 * Warnings in n8n's log for refusals that mean the credential or the server configuration is
 * wrong (every push of the account would be refused the same way): at most one a minute per
 * trigger node, so a flood of refused requests cannot flood the log.
 */
export const WARNING_INTERVAL_MS = 60_000;
/** Trigger nodes remembered at once, least recently warned forgotten first. */
const MAX_NODES = 1_000;

export class WarningThrottle {
	private readonly lastWarnedAt = new Map<string, number>();

	/** Whether trigger node `scope` may log a warning at `now` (ms); if so, counts it. */
	mayWarn(scope: string, now: number): boolean {
		const last = this.lastWarnedAt.get(scope);
		if (last !== undefined && now - last < WARNING_INTERVAL_MS) return false;
		this.lastWarnedAt.delete(scope);
		this.lastWarnedAt.set(scope, now);
		if (this.lastWarnedAt.size > MAX_NODES) this.lastWarnedAt.delete(this.lastWarnedAt.keys().next().value as string);
		return true;
	}
}

/** Shared by every trigger node of this process. */
export const misconfigurationWarnings = new WarningThrottle();
