import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { classifyImageSource, describeSource } from '../../../wechat/imageSources';
import { weChatBaseUrl, weChatRead } from '../../transport';

/** The image sources of some HTML, in order (`data-src` where WeChat's editor moved the src there). */
export function imageSourcesOf(html: string): string[] {
	const sources: string[] = [];
	for (const [tag] of html.matchAll(/<img\b[^>]*>/gi)) {
		const attribute = (name: string) =>
			new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
		const match = attribute('src') ?? attribute('data-src');
		sources.push(match ? (match[1] ?? match[2] ?? match[3] ?? '') : '');
	}
	return sources;
}

/**
 * Reads the draft back once and names what WeChat did not keep: an image sent that is gone, an
 * image left without a src or with one off WeChat's hosts. The draft stays as it is either way.
 */
export async function verifyDraft(
	this: IExecuteFunctions,
	mediaId: string,
	sentImages: string[][],
	firstIndex = 0,
): Promise<string[]> {
	let draft: IDataObject;
	try {
		draft = await weChatRead.call(this, 'POST', '/cgi-bin/draft/get', { media_id: mediaId });
	} catch (error) {
		return [`The draft was created, but reading it back to check its images failed: ${(error as Error).message}`];
	}
	const extraHosts = [new URL(await weChatBaseUrl.call(this)).host.toLowerCase()];
	const items = (draft.news_item as IDataObject[] | undefined) ?? [];
	const warnings: string[] = [];
	sentImages.forEach((sent, offset) => {
		const number = firstIndex + offset + 1;
		const content = items[firstIndex + offset]?.content;
		if (typeof content !== 'string') {
			if (sent.length > 0) warnings.push(`Article ${number}: WeChat returned no content, so its ${sent.length} image(s) could not be checked`);
			return;
		}
		const kept = imageSourcesOf(content);
		const missing = sent.filter((url) => !kept.includes(url));
		for (const url of missing) warnings.push(`Article ${number}: WeChat dropped the image ${url}`);
		kept.forEach((src, index) => {
			if (src.trim() === '') {
				warnings.push(`Article ${number}: image ${index + 1} has no src in the saved draft (WeChat removed an image it does not host)`);
			} else if (classifyImageSource(src, extraHosts).kind !== 'wechat') {
				warnings.push(`Article ${number}: image ${index + 1} (${describeSource(src)}) is not on WeChat's image hosts; readers will not see it`);
			}
		});
	});
	return warnings;
}
