// Reading the documentation's Markdown the way GitHub renders it: shared by the docs-*.test.ts checks.

/** GitHub's anchors of a Markdown file's headings. */
export function anchorsOf(markdown: string): Set<string> {
	const anchors = new Set<string>();
	const seen = new Map<string, number>();
	const withoutCode = markdown.replace(/^```[\s\S]*?^```/gm, '');
	for (const [, heading] of withoutCode.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
		const base = heading
			.replace(/`/g, '')
			.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
			.toLowerCase()
			.replace(/[^\p{L}\p{N}\s_-]/gu, '')
			.replace(/\s/g, '-');
		const count = seen.get(base) ?? 0;
		seen.set(base, count + 1);
		anchors.add(count === 0 ? base : `${base}-${count}`);
	}
	for (const [, id] of markdown.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) anchors.add(id);
	return anchors;
}

/** The relative link targets of a Markdown file (inline links and images, outside code). */
export function relativeLinks(markdown: string): string[] {
	const withoutCode = markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
	return [...withoutCode.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)]
		.map(([, target]) => target)
		.filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

/** The headings outside code, in order: their level (1 to 6). */
export function headingLevels(markdown: string): number[] {
	const withoutCode = markdown.replace(/^```[\s\S]*?^```/gm, '');
	return [...withoutCode.matchAll(/^(#{1,6})\s+\S/gm)].map(([, hashes]) => hashes.length);
}

/**
 * The numbers a reader sees (limits, times, errcodes, versions), thousands separators dropped:
 * outside code, inline code, link targets, URLs and HTML tags.
 */
export function proseNumbers(markdown: string): Set<string> {
	const prose = markdown
		.replace(/^```[\s\S]*?^```/gm, '')
		.replace(/`[^`\n]*`/g, '')
		.replace(/\]\([^)]*\)/g, ']')
		.replace(/<[^>]*>/g, '')
		.replace(/https?:\/\/\S+/g, '');
	return new Set([...prose.matchAll(/\d+(?:,\d{3})*(?:\.\d+)?/g)].map(([number]) => number.replace(/,/g, '')));
}
