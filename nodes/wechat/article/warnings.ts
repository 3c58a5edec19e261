/** What rendering changed that the author may not expect: each message once, with its count. */
export class Warnings {
	private readonly counts = new Map<string, number>();

	add(message: string): void {
		this.counts.set(message, (this.counts.get(message) ?? 0) + 1);
	}

	list(): string[] {
		return [...this.counts].map(([message, count]) => (count > 1 ? `${message} (${count} times)` : message));
	}
}
