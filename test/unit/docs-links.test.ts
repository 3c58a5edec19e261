import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

import { anchorsOf, relativeLinks } from './docs-markdown';

// Every relative link of the user and developer documentation resolves: the file exists and, for a
// `#anchor` into a Markdown file, a heading of that file has that anchor (GitHub's rule: lower
// case, punctuation other than `-` and `_` dropped, spaces to `-`, repeats numbered `-1`, `-2`).
const ROOT = path.resolve(__dirname, '../..');

function documentationFiles(): string[] {
	const docs = readdirSync(path.join(ROOT, 'docs'))
		.filter((name) => name.endsWith('.md'))
		.map((name) => `docs/${name}`);
	return ['README.md', 'README.zh-CN.md', 'CONTRIBUTING.md', ...docs];
}

/** Why a link of `file` does not resolve, or undefined when it does. */
function brokenReason(file: string, target: string): string | undefined {
	const [targetPath, anchor] = target.split('#') as [string, string | undefined];
	const resolved = targetPath === '' ? path.join(ROOT, file) : path.resolve(path.dirname(path.join(ROOT, file)), decodeURI(targetPath));
	if (!resolved.startsWith(ROOT) || !existsSync(resolved)) return 'no such file';
	if (anchor === undefined || !resolved.endsWith('.md') || statSync(resolved).isDirectory()) return undefined;
	return anchorsOf(readFileSync(resolved, 'utf8')).has(decodeURIComponent(anchor)) ? undefined : `no heading #${anchor}`;
}

describe('relative links in README*, CONTRIBUTING.md and docs/', () => {
	it('finds the pages and their links', () => {
		const files = documentationFiles();
		expect(files).toEqual(expect.arrayContaining(['docs/operations.md', 'docs/trigger.md', 'docs/troubleshooting.md', 'docs/contract.md']));
		expect(files.flatMap((file) => relativeLinks(readFileSync(path.join(ROOT, file), 'utf8'))).length).toBeGreaterThan(50);
	});

	it.each(documentationFiles())('%s: every relative link and #anchor resolves', (file) => {
		const markdown = readFileSync(path.join(ROOT, file), 'utf8');
		const broken = relativeLinks(markdown)
			.map((target) => ({ target, reason: brokenReason(file, target) }))
			.filter(({ reason }) => reason !== undefined);
		expect(broken).toEqual([]);
	});
});

describe('the link checker', () => {
	it('makes GitHub anchors of English and Chinese headings, code and repeats', () => {
		expect([...anchorsOf('# A `code` Heading: (yes)\n## 触发器设置步骤\n## IP 白名单与 40164\n## Same\n## Same\n```\n# not a heading\n```')]).toEqual([
			'a-code-heading-yes',
			'触发器设置步骤',
			'ip-白名单与-40164',
			'same',
			'same-1',
		]);
	});

	it('reads inline links and images, skips URLs, mail and code', () => {
		expect(relativeLinks('[a](docs/x.md#y) ![b](pic.png "t") [c](https://e.com) [d](mailto:x@y) `[e](no.md)`\n```\n[f](no.md)\n```')).toEqual([
			'docs/x.md#y',
			'pic.png',
		]);
	});
});
