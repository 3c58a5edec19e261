/**
 * docs/screenshots/article-rendered.png: scripts/docs/sample-article.md (every Markdown construct
 * the renderer handles) rendered by the BUILT renderer, as Article → Render outputs it, and shown
 * the way WeChat lays an article out on a phone: 375 px wide, title above the content.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { chromium, type Browser } from 'playwright-core';

import type * as Renderer from '../../nodes/wechat/article';
import { repoRoot } from '../../test/e2e/harness/runtime';

const PHONE = { width: 375, height: 812 };
const TITLE = 'Markdown in, WeChat out: a rendered article';
const SAMPLE = path.join(repoRoot, 'scripts/docs/sample-article.md');

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
function phonePage(contentHtml: string): string {
	return `<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{margin:0;background:#fff;color:#333;font-family:-apple-system,"PingFang SC","Noto Sans CJK SC",sans-serif}#page{width:375px;padding:20px 16px;box-sizing:border-box}h1{font-size:22px;line-height:1.4;margin:0 0 8px}.meta{font-size:15px;color:#576b95;margin:0 0 22px}</style></head><body><div id="page"><h1>${TITLE}</h1><p class="meta">n8n · WeChat Official Account</p><div id="js_content">${contentHtml}</div></div></body></html>`;
}

export async function shootRenderedArticle(executablePath: string, args: string[], outDir: string): Promise<void> {
	// The built renderer, the code the package ships (dist/ is built by the caller).
	const { renderArticle } = (await import(path.join(repoRoot, 'dist/nodes/wechat/article'))) as typeof Renderer;
	const browser = await chromium.launch({ executablePath, headless: true, args });
	try {
		const markdown = readFileSync(SAMPLE, 'utf8').replace('](IMAGE ', `](${await samplePicture(browser)} `);
		const rendered = renderArticle(markdown, { format: 'markdown' });
		if (rendered.warnings.length > 0) throw new Error(`the sample article rendered with warnings: ${rendered.warnings.join('; ')}`);
		const page = await browser.newPage({ viewport: PHONE, deviceScaleFactor: 2 });
		await page.setContent(phonePage(rendered.html), { waitUntil: 'load' });
		await page.screenshot({ path: path.join(outDir, 'article-rendered.png'), fullPage: true });
		process.stdout.write('screenshots: wrote docs/screenshots/article-rendered.png\n');
	} finally {
		await browser.close();
	}
}
