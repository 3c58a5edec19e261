/** The bench's result rows, the statistics they need, and the printed table. */

export interface ResultRow {
	/** Which measurement (1-5) and what of it. */
	measurement: string;
	/** Our package's figure. */
	ours: string;
	/** The reference it is compared with, when there is one. */
	reference?: string;
	/** ours / reference, as the target reads it. */
	ratio?: string;
	target?: string;
	/** undefined: no target. */
	met?: boolean;
}

export interface SectionResult {
	rows: ResultRow[];
	/** What could not be measured, and why: printed instead of a number. */
	notMeasured: string[];
	/** Context worth printing under the table (where time goes, profiles). */
	notes: string[];
}

export function median(values: number[]): number {
	return percentile(values, 50);
}

/** Nearest-rank percentile. */
export function percentile(values: number[], p: number): number {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.ceil((p / 100) * sorted.length);
	return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** A number with thousands separated and `digits` decimals. */
export function format(value: number, digits = 0): string {
	return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function formatRatio(value: number): string {
	return `${value.toFixed(2)}x`;
}

export function metLabel(met: boolean | undefined): string {
	if (met === undefined) return '';
	return met ? 'met' : 'MISSED';
}

/** The rows as a Markdown table (what `npm run bench` prints and BENCHMARKS.md records). */
export function renderTable(rows: ResultRow[]): string {
	const header = ['measurement', 'ours', 'reference', 'ratio', 'target', 'result'];
	const lines = rows.map((row) => [
		row.measurement,
		row.ours,
		row.reference ?? '',
		row.ratio ?? '',
		row.target ?? '',
		metLabel(row.met),
	]);
	return [header, header.map(() => '---'), ...lines].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}
