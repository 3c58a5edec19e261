import { trackedLinesMatching } from './tracked-lines';

// A clone of the repository holds everything it cites: no file refers to notes outside it (a
// contract file, reference notes, a shared folder) or to tracker issue numbers. Cite WeChat's or
// n8n's public documentation pages instead.
const FORBIDDEN = [
	// Upper case: the notes' own name; docs/contract.md is the repository's page.
	{ what: 'the contract notes outside the repository (use docs/contract.md)', pattern: String.raw`CONTRACT\.md`, ignoreCase: false },
	{ what: 'reference notes outside the repository', pattern: String.raw`\breference/[A-Za-z0-9_-]+\.md`, ignoreCase: true },
	{ what: 'a shared folder outside the repository', pattern: String.raw`\.\./shared\b|/work/shared\b`, ignoreCase: true },
	{ what: 'an issue number', pattern: String.raw`\bissues? ?#?[0-9]+\b|\bissue-[0-9]+\b`, ignoreCase: true },
];

describe('citations', () => {
	it.each(FORBIDDEN)('no tracked file cites $what', ({ pattern, ignoreCase }) => {
		expect(trackedLinesMatching(pattern, { ignoreCase, exceptFile: 'test/unit/docs-citations.test.ts' })).toEqual([]);
	});

	it('the patterns catch what they are for', () => {
		const matches = (text: string) => FORBIDDEN.filter(({ pattern, ignoreCase }) => new RegExp(pattern, ignoreCase ? 'i' : '').test(text)).length;
		expect(['see CONTRACT.md', 'reference/wechat.md', '../shared/x', 'issue 13', 'Issue #8', 'issue-15'].map(matches)).toEqual([1, 1, 1, 1, 1, 1]);
		expect(['docs/contract.md', 'docs/reference', 'tissue 3', '#333333'].map(matches)).toEqual([0, 0, 0, 0]);
	});
});
