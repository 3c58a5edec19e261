import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { anchorsOf, headingLevels, proseNumbers, relativeLinks } from './docs-markdown';

// Every page in Chinese says what its English page says: the same headings at the same levels, the
// same numbers (limits, times, errcodes, versions), and links into the same sections of the same
// pages. Wording is free; a section, a number or a link target added to one page only is drift.
const ROOT = path.resolve(__dirname, '../..');

/** [English page, Chinese page] for every page that has both. */
function translatedPages(): Array<[string, string]> {
	const docs = readdirSync(path.join(ROOT, 'docs'))
		.filter((name) => name.endsWith('.md') && !name.endsWith('.zh-CN.md'))
		.map((name) => `docs/${name}`);
	return ['README.md', ...docs]
		.map((english): [string, string] => [english, english.replace(/\.md$/, '.zh-CN.md')])
		.filter(([, chinese]) => existsSync(path.join(ROOT, chinese)));
}

const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

/** The page a link goes to, as its English page, and the number of the heading its #anchor names. */
function linkTargets(file: string): string[] {
	return relativeLinks(read(file)).map((target) => {
		const [targetPath, anchor] = target.split('#') as [string, string | undefined];
		const resolved = targetPath === '' ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), decodeURI(targetPath)));
		const page = resolved.replace(/\.zh-CN\.md$/, '.md');
		if (anchor === undefined || !resolved.endsWith('.md') || !existsSync(path.join(ROOT, resolved))) return page;
		const heading = [...anchorsOf(read(resolved))].indexOf(decodeURIComponent(anchor));
		return `${page} § ${heading === -1 ? `#${anchor} (no such heading)` : heading + 1}`;
	});
}

const sorted = (values: Iterable<string>) => [...values].sort();

describe('Chinese pages follow their English pages', () => {
	it('finds the pairs', () => {
		expect(translatedPages()).toEqual(
			expect.arrayContaining([
				['README.md', 'README.zh-CN.md'],
				['docs/trigger.md', 'docs/trigger.zh-CN.md'],
				['docs/ip-allow-list.md', 'docs/ip-allow-list.zh-CN.md'],
				['docs/troubleshooting.md', 'docs/troubleshooting.zh-CN.md'],
			]),
		);
	});

	describe.each(translatedPages())('%s and %s', (english, chinese) => {
		it('have the same headings at the same levels', () => {
			expect(headingLevels(read(chinese))).toEqual(headingLevels(read(english)));
		});

		it('state the same numbers', () => {
			expect(sorted(proseNumbers(read(chinese)))).toEqual(sorted(proseNumbers(read(english))));
		});

		it('link to the same sections of the same pages', () => {
			expect(sorted(linkTargets(chinese))).toEqual(sorted(linkTargets(english)));
		});
	});
});

describe('the structure checks', () => {
	it('read levels, numbers and link targets outside code', () => {
		const page = '# T\n## A 64\n```\n# not 7\n```\nUp to 1,800 s, `9` and [x](https://e.com/5) <img width="375">\n### B';
		expect(headingLevels(page)).toEqual([1, 2, 3]);
		expect(sorted(proseNumbers(page))).toEqual(['1800', '64']);
	});
});
