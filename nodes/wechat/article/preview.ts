// A rendered article as a page of its own, the width of a phone (375 px), with the title and author
// above it as WeChat shows them: what Article → Render returns as an .html file, for n8n's binary
// viewer, a mail attachment or a chat message.
import { escapeText } from './html';

export const PREVIEW_WIDTH_PX = 375;

export interface PreviewFields {
	title?: string;
	author?: string;
}

export function previewPage(html: string, fields: PreviewFields): string {
	const title = fields.title?.trim() ?? '';
	const heading = title
		? `<h1 style="margin:0 0 12px;font-size:22px;line-height:1.4;font-weight:bold;color:#111;">${escapeText(title)}</h1>`
		: '';
	const author = fields.author?.trim()
		? `<p style="margin:0 0 20px;font-size:15px;color:#576b95;">${escapeText(fields.author.trim())}</p>`
		: '';
	return [
		'<!DOCTYPE html>',
		'<html lang="zh-CN"><head><meta charset="utf-8">',
		'<meta name="viewport" content="width=device-width, initial-scale=1">',
		`<title>${escapeText(title || 'Article preview')}</title></head>`,
		'<body style="margin:0;background:#ededed;">',
		`<main style="box-sizing:border-box;max-width:${PREVIEW_WIDTH_PX}px;margin:0 auto;padding:20px 16px 40px;background:#fff;min-height:100vh;">`,
		heading,
		author,
		html,
		'</main></body></html>',
	].join('');
}
