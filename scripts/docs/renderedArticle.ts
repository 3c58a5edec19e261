/// <reference lib="dom" />
// The page.evaluate callbacks below run in the browser, on its DOM.
/**
 * docs/screenshots/article-rendered.png: scripts/docs/sample-article.md (every Markdown construct
 * the renderer handles, front matter included) rendered by the BUILT renderer, as Article → Render
 * outputs it, and shown the way WeChat lays an article out on a phone: 375 px wide, title above the
 * content. Before that, every theme is checked on the sample and on the long README.zh-CN.md: no
 * warning, and nothing wider than the phone except inside what scrolls sideways (code, tables).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { chromium, type Browser } from 'playwright-core';

import type * as Renderer from '../../nodes/wechat/article';
import { repoRoot } from '../../test/e2e/harness/runtime';

const PHONE = { width: 375, height: 812 };
const SAMPLE = path.join(repoRoot, 'scripts/docs/sample-article.md');
const LONG_ARTICLE = path.join(repoRoot, 'README.zh-CN.md');
const BADGES: Array<[string, string, string]> = [['build', 'passing', '#2ea44f'], ['npm', 'v1.0', '#cb3837'], ['license', 'MIT', '#1e6bb8']];

/** A badge like a README's, drawn by the browser (the page loads nothing). */
async function badge(browser: Browser, [label, value, color]: [string, string, string]): Promise<string> {
	const page = await browser.newPage({ viewport: { width: 120, height: 20 } });
	try {
		await page.setContent(
			'<body style="margin:0;display:inline-flex;font:11px Verdana,sans-serif;color:#fff">' +
				`<span style="background:#555;padding:3px 6px">${label}</span><span style="background:${color};padding:3px 6px">${value}</span></body>`,
		);
		const png = await page.locator('body').screenshot({ type: 'png' });
		return `data:image/png;base64,${png.toString('base64')}`;
	} finally {
		await page.close();
	}
}

/** Elements wider than the phone that no sideways-scrolling box holds: what a reader would lose. */
async function overflowing(browser: Browser, html: string): Promise<string[]> {
	const page = await browser.newPage({ viewport: PHONE });
	try {
		await page.setContent(phonePage('', '', html), { waitUntil: 'load' });
		return await page.evaluate((width) => {
			const found: string[] = [];
			for (const node of Array.from(document.querySelectorAll('#js_content *'))) {
				let scroller = node.parentElement;
				while (scroller && getComputedStyle(scroller).overflowX !== 'auto') scroller = scroller.parentElement;
				if (!scroller && node.getBoundingClientRect().right > width + 0.5) found.push(`<${node.tagName.toLowerCase()}> ${(node.textContent ?? '').slice(0, 40)}`);
			}
			return found;
		}, PHONE.width);
	} finally {
		await page.close();
	}
}

/** Every theme, on the sample and on a long real article: no warnings, nothing off the screen. */
async function checkThemes(browser: Browser, renderer: typeof Renderer, sample: string): Promise<void> {
	for (const [name, source] of [['sample', sample], ['README.zh-CN.md', readFileSync(LONG_ARTICLE, 'utf8')]]) {
		for (const theme of renderer.THEMES) {
			const rendered = renderer.renderArticle(source, { format: 'markdown', theme });
			if (name === 'sample' && rendered.warnings.length > 0) throw new Error(`${name} in ${theme}: ${rendered.warnings.join('; ')}`);
			const lost = await overflowing(browser, rendered.html);
			if (lost.length > 0) throw new Error(`${name} in ${theme}: wider than the phone: ${lost.slice(0, 5).join(', ')}`);
			process.stdout.write(`screenshots: ${name} in the ${theme} theme fits a ${PHONE.width} px phone\n`);
		}
	}
}

/** A picture for the sample's image, drawn by the browser itself (the page loads nothing). */
async function samplePicture(browser: Browser): Promise<string> {
	const page = await browser.newPage({ viewport: { width: 800, height: 450 } });
	try {
		await page.setContent(
			'<body style="margin:0"><div style="width:800px;height:450px;display:flex;align-items:center;justify-content:center;' +
				'background:linear-gradient(135deg,#07c160 0%,#1aad19 40%,#10aeff 100%);color:#fff;' +
				'font:600 56px -apple-system,\'Noto Sans CJK SC\',sans-serif">n8n → 公众号</div></body>',
		);
		const png = await page.screenshot({ type: 'png' });
		return `data:image/png;base64,${png.toString('base64')}`;
	} finally {
		await page.close();
	}
}

/** The page around the rendered HTML, as the sandbox's (and WeChat's) article view lays it out. */
function phonePage(title: string, author: string, contentHtml: string): string {
	return `<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{margin:0;background:#fff;color:#333;font-family:-apple-system,"PingFang SC","Noto Sans CJK SC",sans-serif}#page{width:375px;padding:20px 16px;box-sizing:border-box}h1{font-size:22px;line-height:1.4;margin:0 0 8px}.meta{font-size:15px;color:#576b95;margin:0 0 22px}</style></head><body><div id="page"><h1>${title}</h1><p class="meta">${author}</p><div id="js_content">${contentHtml}</div></div></body></html>`;
}

export async function shootRenderedArticle(executablePath: string, args: string[], outDir: string): Promise<void> {
	// The built renderer, the code the package ships (dist/ is built by the caller).
	const renderer = (await import(path.join(repoRoot, 'dist/nodes/wechat/article'))) as typeof Renderer;
	const browser = await chromium.launch({ executablePath, headless: true, args });
	try {
		const badges: string[] = [];
		for (const [index, spec] of BADGES.entries()) badges.push(`[![${spec[0]}](${await badge(browser, spec)})](https://example.com/${index})`);
		const markdown = readFileSync(SAMPLE, 'utf8')
			.replace('](IMAGE ', `](${await samplePicture(browser)} `)
			.replace('BADGES', badges.join(' '));
		await checkThemes(browser, renderer, markdown);
		const rendered = renderer.renderArticle(markdown, { format: 'markdown' });
		const page = await browser.newPage({ viewport: PHONE, deviceScaleFactor: 2 });
		await page.setContent(phonePage(rendered.fields.title ?? '', rendered.fields.author ?? '', rendered.html), { waitUntil: 'load' });
		await page.screenshot({ path: path.join(outDir, 'article-rendered.png'), fullPage: true });
		process.stdout.write('screenshots: wrote docs/screenshots/article-rendered.png\n');
	} finally {
		await browser.close();
	}
}
