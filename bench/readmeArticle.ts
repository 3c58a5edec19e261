/**
 * A long project README, generated: a centred header in raw HTML with a row of badges, an install
 * section, raw HTML tables, long code blocks in several languages, option tables, nested lists,
 * alerts and a FAQ full of links. The shape of the READMEs people paste into WeChat; the words are
 * generated here.
 */
const BADGES = ['build-passing', 'npm-v1.4.2', 'license-MIT', 'downloads-12k', 'coverage-97%', 'node->=20'];

function badgeRow(): string {
	return BADGES.map((badge, index) => `[![${badge}](https://img.example.com/badge/${badge}.svg)](https://ci.example.com/${index})`).join(' ');
}

function htmlTable(rows: number): string {
	const body = Array.from(
		{ length: rows },
		(_, row) => `  <tr>\n    <td><code>option_${row}_name</code></td>\n    <td>${row % 2 ? 'boolean' : 'string'}</td>\n    <td>Sets how step ${row} behaves when the workflow runs; see <a href="https://docs.example.com/options#${row}">the docs</a>.</td>\n  </tr>`,
	).join('\n');
	return `<table>\n  <tr>\n    <th>Option</th>\n    <th>Type</th>\n    <th>What it does</th>\n  </tr>\n${body}\n</table>`;
}

function codeBlock(language: string, lines: number, seed: number): string {
	const line = (index: number) => {
		switch (language) {
			case 'ts':
				return `export async function step${seed}_${index}(input: Record<string, unknown>): Promise<number> { return Number(input.count ?? ${index}) * ${seed}; }`;
			case 'bash':
				return `curl -s -X POST "https://api.example.com/v1/items/${index}" -H "Authorization: Bearer $TOKEN" --data '{"n": ${index}}' | jq .id`;
			case 'json':
				return `  "option_${index}": { "enabled": ${index % 2 === 0}, "retries": ${index}, "label": "step ${index}" },`;
			default:
				return `def step_${seed}_${index}(value):\n    return {"value": value, "index": ${index}}  # generated`;
		}
	};
	return `\`\`\`${language}\n${Array.from({ length: lines }, (_, index) => line(index)).join('\n')}\n\`\`\``;
}

export function readmeArticle(): string {
	const parts = [
		'<div align="center">',
		'',
		'# example-project',
		'',
		badgeRow(),
		'',
		'</div>',
		'',
		'> [!NOTE]',
		'> This README is generated for the render benchmark; every name in it is made up.',
		'',
		'## Install',
		'',
		codeBlock('bash', 6, 1),
		'',
	];
	for (let section = 1; section <= 8; section++) {
		parts.push(`## Feature ${section}`, '');
		parts.push(
			`Feature ${section} turns a **draft** into a *published* article, keeps \`state_${section}\` between runs and reports to [the dashboard](https://dash.example.com/${section}). ` +
				'It works with every theme, retries on network errors and never sends a write twice.',
			'',
		);
		parts.push('- Step one: configure the `credential`', '- Step two: run the [workflow](https://n8n.example.com/w)', '  - nested: check the output', '- Step three: publish', '');
		parts.push(codeBlock(['ts', 'json', 'python', 'bash'][section % 4], 18 + section * 2, section), '');
		if (section % 2 === 0) parts.push(htmlTable(10), '');
		else parts.push('| Option | Default | Notes |', '|---|:-:|---|', ...Array.from({ length: 8 }, (_, row) => `| \`opt_${section}_${row}\` | ${row} | applies to [step ${row}](https://docs.example.com/s${row}) |`), '');
	}
	parts.push('## FAQ', '');
	for (let question = 1; question <= 12; question++) {
		parts.push(`**Why does case ${question} happen?** See [issue ${question}](https://github.example.com/issues/${question}) and the [guide](https://docs.example.com/faq/${question}).`, '');
	}
	parts.push('## License', '', 'MIT, see [LICENSE](https://github.example.com/LICENSE).');
	return parts.join('\n');
}
