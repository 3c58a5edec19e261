import { readFileSync } from 'node:fs';
import path from 'node:path';

import { explainedErrcodes } from '../../nodes/wechat/errcodes';
import { END_MARKER, ERRCODES_ZH, PAGES, START_MARKER, errcodeTable, withGeneratedTable } from '../../scripts/docs/errcodes';

// The errcode tables of the troubleshooting pages are generated from nodes/wechat/errcodes.ts:
// the committed pages must be exactly what `npm run docs:errcodes` writes.
const ROOT = path.resolve(__dirname, '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

describe('the errcode tables of docs/troubleshooting*.md', () => {
	it.each(['en', 'zh-CN'] as const)('%s: the committed table is the one errcodes.ts generates (else run npm run docs:errcodes)', (language) => {
		const page = read(PAGES[language]);
		expect(page).toContain(START_MARKER);
		expect(withGeneratedTable(page, language)).toBe(page);
	});

	it('lists every explained errcode once, with the words of the node', () => {
		const table = errcodeTable('en');
		for (const { errcode, meaning, action } of explainedErrcodes()) {
			expect(table.split('\n').filter((row) => row.startsWith(`| ${errcode} |`))).toEqual([`| ${errcode} | ${meaning} | ${action} |`]);
		}
		expect(table.split('\n').filter((row) => /^\| -?\d+ \|/.test(row))).toHaveLength(explainedErrcodes().length);
	});

	it('has Chinese text for exactly the explained errcodes', () => {
		expect(Object.keys(ERRCODES_ZH).map(Number).sort((a, b) => a - b)).toEqual(explainedErrcodes().map(({ errcode }) => errcode));
	});

	it('notices a page whose table was edited by hand', () => {
		const page = read(PAGES.en);
		const edited = page.replace(/\| 40164 \| [^|]+\|/, '| 40164 | edited by hand |');
		expect(edited).not.toBe(page);
		expect(withGeneratedTable(edited, 'en')).toBe(page);
		expect(() => withGeneratedTable(page.replace(END_MARKER, ''), 'en')).toThrow(/markers are missing/);
	});

	it('is the only errcode table: the READMEs link to the page instead of copying it', () => {
		for (const readme of ['README.md', 'README.zh-CN.md']) {
			expect(read(readme)).not.toMatch(/^\| 40164 \|/m);
			expect(read(readme)).toContain('docs/troubleshooting');
		}
	});
});
