/**
 * 9. Hostile input: each 1 MB body of the unit tests' hostile corpus through renderArticle as HTML
 * input (Article → Render needs no credential, so anyone who can start the workflow can send one),
 * and each 1 MB hostile code block in Markdown. The parser and the highlighter must stay linear: a
 * backtracking end-tag pattern once took 4.5 s for `</a` + 100,000 letters. The slowest of each
 * corpus is a row; the others are notes.
 */
import { renderArticle } from '../nodes/wechat/article';
import { HOSTILE_CODE } from '../test/helpers/hostileCode';
import { HOSTILE_HTML } from '../test/helpers/hostileHtml';
import { format, median, type SectionResult } from './report';

const SIZE = 1_000_000;
const ROUNDS = 5;
export const HOSTILE_RENDER_TARGET_MS = 500;

function timed(run: () => void): number {
	const start = process.hrtime.bigint();
	run();
	return Number(process.hrtime.bigint() - start) / 1e6;
}

interface Timed {
	name: string;
	ms: number;
}

function slowestRow(label: string, what: string, medians: Timed[]): SectionResult['rows'][number] {
	const slowest = medians.reduce((worst, entry) => (entry.ms > worst.ms ? entry : worst));
	return {
		measurement: `${label}. render the slowest of ${medians.length} ${what} (median of ${ROUNDS}): ${slowest.name}`,
		ours: `${format(slowest.ms, 1)} ms`,
		target: `≤ ${HOSTILE_RENDER_TARGET_MS} ms`,
		met: slowest.ms <= HOSTILE_RENDER_TARGET_MS,
	};
}

const medianMs = (render: () => void) => median(Array.from({ length: ROUNDS }, () => timed(render)));
const listed = (medians: Timed[]) => medians.map((entry) => `${entry.name} ${format(entry.ms, 1)}`).join('; ');

export async function benchHostileHtml(): Promise<SectionResult> {
	const html = HOSTILE_HTML.map(([name, make]) => {
		const body = make(SIZE);
		return { name, ms: medianMs(() => renderArticle(body, { format: 'html' })) };
	});
	const code = HOSTILE_CODE.map(([name, language, make]) => {
		const markdown = `\`\`\`\`${language}\n${make(SIZE)}\n\`\`\`\``;
		return { name: `${name} (${language})`, ms: medianMs(() => renderArticle(markdown, { format: 'markdown' })) };
	});
	return {
		rows: [slowestRow('9', 'hostile 1 MB HTML bodies', html), slowestRow('9b', 'hostile 1 MB code blocks in Markdown', code)],
		notMeasured: [],
		notes: [`9. each hostile 1 MB body, median ms: ${listed(html)}.`, `9b. each hostile 1 MB code block, median ms: ${listed(code)}.`],
	};
}
