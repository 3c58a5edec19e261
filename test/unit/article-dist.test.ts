import { Linter } from 'eslint';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { benchArticle } from '../../bench/articleRender';
import * as source from '../../nodes/wechat/article';
import { ensurePackageBuilt } from '../helpers/packageBuild';

// The renderer as published: dist/ with markdown-it and MathJax bundled (minified, console
// calls dropped, linkify-it stubbed) must render exactly like the sources the other tests use.
const DIST = path.resolve(__dirname, '../../dist');
const BUNDLES = ['markdown-it.js', 'mathjax.js'].map((file) => path.join(DIST, 'nodes/wechat/vendor', file));

const SAMPLES: Array<[string, source.RenderOptions]> = [
	[benchArticle(), { format: 'markdown' }],
	[
		'# T\n\n- [x] a\n  1. b\n\n| x | y |\n|:-|-:|\n| 1 | 2 |\n\n```ts\nconst a: number = 1;\n```\n\n![c](data:image/png;base64,AA "C") [l](https://e.example)[^1]\n\n<b onclick="x">raw</b>\n\n[^1]: n',
		{ format: 'markdown', theme: 'classic', linkFootnotes: false },
	],
	['Math $e^{i\\pi} + 1 = 0$ and \\(x^2\\), $5 to $10\n\n$$\n\\begin{aligned} a &= b \\\\ c &= d \\end{aligned}\n$$\n\n$\\foo$', { format: 'markdown' }],
	['<p>HTML <a href="https://e.example">link</a> &amp; <img src="binary:photo"></p><ul><li>x</li></ul>', { format: 'html', theme: 'tech' }],
];

describe('the bundled renderer in dist/', () => {
	let dist: typeof source;

	beforeAll(() => {
		ensurePackageBuilt();
		// The built file, loaded the way n8n loads it.
		dist = createRequire(__filename)(path.join(DIST, 'nodes/wechat/article/index.js')) as typeof source;
	}, 180_000);

	it.each(SAMPLES.map((sample, index) => [index, ...sample] as const))('renders sample %i like the sources', (_index, content, options) => {
		expect(dist.renderArticle(content, options)).toEqual(source.renderArticle(content, options));
	});

	it('has the same themes', () => {
		expect(dist.THEMES).toEqual(source.THEMES);
		expect(dist.DEFAULT_THEME).toBe(source.DEFAULT_THEME);
	});

	it.each(BUNDLES)('%s holds no console call (n8n lints shipped files with no-console)', (file) => {
		const messages = new Linter({ configType: 'flat' }).verify(readFileSync(file, 'utf8'), [
			{ languageOptions: { ecmaVersion: 'latest', sourceType: 'commonjs' }, rules: { 'no-console': 'error' } },
		]);
		expect(messages.map((message) => message.message)).toEqual([]);
	});
});
