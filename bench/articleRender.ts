/**
 * 6. Article rendering: (a) a 5,000-word Markdown article with 10 fenced code blocks and (b) a long
 * project README (badges, raw HTML tables, long code blocks: bench/readmeArticle.ts) through
 * renderArticle (markdown-it with its plugins and our highlighter, then sanitising, link references
 * and inline theme styles), against markdown-it's own render of the same text with its default
 * options (the target's reference), and, to show where the time goes, markdown-it with the same
 * highlighter writing HTML. Each round renders with all three, in a rotated order, after a warm-up.
 */
import { renderArticle } from '../nodes/wechat/article';
import { highlightHtml } from '../nodes/wechat/article/highlight';
import { MarkdownIt } from '../nodes/wechat/vendor/markdown-it';
import { readmeArticle } from './readmeArticle';
import { format, formatRatio, median, type SectionResult } from './report';

export const ARTICLE_RENDER_TARGET_RATIO = 2;
const WORDS = 5000;
const CODE_BLOCKS = 10;
const WARMUP_ROUNDS = 20;
const ROUNDS = 101;

const VOCABULARY = (
	'the draft goes out to readers once the editor approves it and every image is hosted where WeChat ' +
	'accepts it while links to other sites become numbered references at the end of the article'
).split(' ');

const CODE: Array<[string, string]> = [
	['js', 'export async function publish(draft) {\n  const { media_id } = await api.post("/draft/add", draft);\n  // wait for the job\n  return await poll(media_id, { interval: 1000 });\n}'],
	['ts', 'interface Article {\n  title: string;\n  content: string;\n  thumb_media_id?: string;\n}\nconst limit = (a: Article): boolean => a.title.length <= 32;'],
	['python', 'def render(path):\n    with open(path, encoding="utf-8") as f:\n        text = f.read()\n    return markdown(text)  # to HTML\n'],
	['bash', 'for f in posts/*.md; do\n  curl -s -X POST "$N8N/webhook/draft" --data-binary @"$f" | jq .media_id\ndone'],
	['json', '{\n  "articles": [{ "title": "Spring launch", "need_open_comment": 1 }],\n  "count": 1\n}'],
	['go', 'func main() {\n\tresp, err := http.Get("https://example.com/feed")\n\tif err != nil {\n\t\tlog.Fatal(err)\n\t}\n\tdefer resp.Body.Close()\n}'],
	['java', 'public class Draft {\n  private final String title;\n  public Draft(String title) { this.title = title; }\n  @Override public String toString() { return "Draft " + title; }\n}'],
	['sql', 'SELECT title, COUNT(*) AS reads\nFROM articles a JOIN views v ON v.article_id = a.id\nWHERE a.published_at > NOW() - INTERVAL \'7 days\'\nGROUP BY title ORDER BY reads DESC;'],
	['html', '<section class="card">\n  <img src="cover.png" alt="cover">\n  <p>Read <a href="https://example.com">more</a></p>\n</section>'],
	['yaml', 'workflow:\n  name: publish\n  nodes:\n    - type: weChatOfficialAccount\n      resource: draft\n      operation: create'],
];

/** A deterministic article: headings, paragraphs with emphasis and links, lists, a table, quotes, code. */
export function benchArticle(): string {
	const parts: string[] = ['# A long article'];
	let words = 0;
	let paragraph = 0;
	while (words < WORDS) {
		paragraph++;
		const length = 60 + (paragraph % 5) * 10;
		const text = Array.from({ length }, (_, i) => VOCABULARY[(paragraph * 7 + i) % VOCABULARY.length]);
		text[3] = `**${text[3]}**`;
		text[9] = `*${text[9]}*`;
		text[15] = `[${text[15]}](https://example.com/${paragraph})`;
		text[21] = `\`${text[21]}\``;
		words += length;
		if (paragraph % 8 === 1) parts.push(`## Section ${paragraph}`);
		parts.push(text.join(' ') + '.');
		if (paragraph % 12 === 4) parts.push('- first point\n- second point with [a link](https://example.org)\n  - nested detail\n- [x] done');
		if (paragraph % 15 === 7) parts.push('| step | time |\n|---|--:|\n| render | 1 ms |\n| upload | 200 ms |');
		if (paragraph % 10 === 5) parts.push(`> ${text.slice(0, 20).join(' ')}`);
		const block = paragraph / 6;
		if (paragraph % 6 === 0 && block <= CODE_BLOCKS) {
			const [language, code] = CODE[(block - 1) % CODE.length];
			parts.push(`\`\`\`${language}\n${code}\n\`\`\``);
		}
	}
	return parts.join('\n\n');
}

function timed(run: () => void): number {
	const start = process.hrtime.bigint();
	run();
	return Number(process.hrtime.bigint() - start) / 1e6;
}

interface Measured {
	ours: number;
	reference: number;
	withHighlight: number;
	ratio: number;
	highlightRatio: number;
	fastest: Record<string, number>;
}

function measure(source: string): Measured {
	const bare = new MarkdownIt();
	const highlighted = new MarkdownIt({ html: true, highlight: highlightHtml });
	const variants = [
		{ name: 'ours', run: () => renderArticle(source, { format: 'markdown' }) },
		{ name: 'bare', run: () => bare.render(source) },
		{ name: 'highlighted', run: () => highlighted.render(source) },
	];
	const times: Record<string, number[]> = { ours: [], bare: [], highlighted: [] };
	for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
		for (let i = 0; i < variants.length; i++) {
			const variant = variants[(round + i) % variants.length];
			const ms = timed(variant.run);
			if (round >= WARMUP_ROUNDS) times[variant.name].push(ms);
		}
	}
	// The median of the per-round ratios: a round's renders run back to back, so a stretch of load
	// from other processes weighs on both sides of a ratio alike.
	const ratioTo = (name: string) => median(times.ours.map((ms, round) => ms / times[name][round]));
	return {
		ours: median(times.ours),
		reference: median(times.bare),
		withHighlight: median(times.highlighted),
		ratio: ratioTo('bare'),
		highlightRatio: ratioTo('highlighted'),
		fastest: Object.fromEntries(Object.entries(times).map(([name, list]) => [name, Math.min(...list)])),
	};
}

export async function benchArticleRender(): Promise<SectionResult> {
	const articles = [
		{ label: '6a', source: benchArticle() },
		{ label: '6b', source: readmeArticle() },
	];
	const result: SectionResult = { rows: [], notMeasured: [], notes: [] };
	for (const { label, source } of articles) {
		const codeBlocks = (source.split('\n```').length - 1) / 2;
		const words = source.split(/\s+/).length;
		const measured = measure(source);
		const rendered = renderArticle(source, { format: 'markdown' });
		const what =
			label === '6a'
				? `render a ${format(words)}-word Markdown article with ${codeBlocks} code blocks`
				: `render a generated project README (${format(source.length)} characters: badges, raw HTML tables, ${codeBlocks} long code blocks)`;
		result.rows.push(
			{
				measurement: `${label}. ${what} (medians of ${ROUNDS} rounds; ratio: median of the per-round ratios)`,
				ours: `${format(measured.ours, 2)} ms`,
				reference: `${format(measured.reference, 2)} ms (markdown-it render, default options)`,
				ratio: formatRatio(measured.ratio),
				target: `≤ ${ARTICLE_RENDER_TARGET_RATIO}x`,
				met: measured.ratio <= ARTICLE_RENDER_TARGET_RATIO,
			},
			{
				measurement: `${label}. same, markdown-it with HTML on and the same highlighter as reference (no target: where the time goes)`,
				ours: `${format(measured.ours, 2)} ms`,
				reference: `${format(measured.withHighlight, 2)} ms (markdown-it render with the highlighter)`,
				ratio: formatRatio(measured.highlightRatio),
			},
		);
		const { fastest } = measured;
		result.notes.push(
			`${label}. fastest round: ours ${format(fastest.ours, 2)} ms, markdown-it ${format(fastest.bare, 2)} ms (${formatRatio(fastest.ours / fastest.bare)}), markdown-it with the highlighter ${format(fastest.highlighted, 2)} ms.`,
			`${label}. ours includes highlighting the code blocks, sanitising, ${rendered.links.length} links turned into references and inline styles (default theme): ${format(source.length)} characters of Markdown become ${format(rendered.html.length)} of HTML.`,
		);
	}
	return result;
}
