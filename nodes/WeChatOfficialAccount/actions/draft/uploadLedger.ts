import type { IExecuteFunctions } from 'n8n-workflow';

import { WeChatApiError } from '../../../wechat/api';
import { weChatWrite } from '../../transport';

export interface UploadRecord {
	url: string;
	media_id?: string;
}

interface Entry {
	upload: Promise<UploadRecord>;
	permanent: boolean;
	/** The item whose composition sent it: the one that may delete it. */
	creator: number;
	/** Items whose draft now holds it: it stays, whatever later items do. */
	inDraft: boolean;
	items: Set<number>;
}

/**
 * The uploads of one node run, shared by its items (the same bytes are uploaded once per
 * endpoint). When an item's draft is refused, the permanent images that item created and no draft
 * holds are deleted again (material/del_material), so a re-run does not add one more each time;
 * images for article content (media/uploadimg) cannot be deleted and are reported.
 * https://developers.weixin.qq.com/doc/offiaccount/Asset_Management/Deleting_Permanent_Assets.html
 */
export class UploadLedger {
	private readonly entries = new Map<string, Entry>();

	constructor(private readonly functions: IExecuteFunctions) {}

	async upload(key: string, itemIndex: number, permanent: boolean, send: () => Promise<UploadRecord>): Promise<UploadRecord> {
		let entry = this.entries.get(key);
		if (entry === undefined) {
			entry = { upload: send(), permanent, creator: itemIndex, inDraft: false, items: new Set() };
			this.entries.set(key, entry);
		}
		entry.items.add(itemIndex);
		return await entry.upload;
	}

	/** The item's draft was written: what it uploaded is in use. */
	markInDraft(itemIndex: number): void {
		for (const entry of this.entries.values()) if (entry.items.has(itemIndex)) entry.inDraft = true;
	}

	/**
	 * The item failed after uploading. Unless WeChat may have written its draft anyway
	 * (`draftMayExist`), deletes the permanent images it created that no draft holds; returns the
	 * sentences that tell the user what was uploaded and what became of it ('' when nothing was).
	 */
	async settleFailure(itemIndex: number, draftMayExist: boolean): Promise<string> {
		const created: Array<[string, UploadRecord, Entry]> = [];
		for (const [key, entry] of this.entries) {
			if (entry.creator !== itemIndex) continue;
			const uploaded = await entry.upload.catch(() => undefined);
			if (uploaded !== undefined) created.push([key, uploaded, entry]);
		}
		if (created.length === 0) return '';
		const content = created.filter(([, , entry]) => !entry.permanent).map(([, uploaded]) => uploaded.url);
		const deleted: string[] = [];
		const kept: string[] = [];
		const failed: string[] = [];
		for (const [key, uploaded, entry] of created.filter(([, , candidate]) => candidate.permanent)) {
			const mediaId = uploaded.media_id ?? '';
			if (draftMayExist || entry.inDraft) {
				kept.push(mediaId);
				continue;
			}
			try {
				await weChatWrite.call(this.functions, '/cgi-bin/material/del_material', { media_id: mediaId });
				deleted.push(mediaId);
				// A later item uploads the image anew rather than naming a deleted one.
				this.entries.delete(key);
			} catch (error) {
				failed.push(`${mediaId} (${error instanceof WeChatApiError ? error.message : 'the delete failed'})`);
			}
		}
		const sentences: string[] = [];
		if (content.length > 0) {
			sentences.push(`${content.length} article image(s) had been uploaded (${content.join(', ')}); WeChat keeps them, they take no room in the media library.`);
		}
		if (deleted.length > 0) sentences.push(`The ${deleted.length} permanent image(s) uploaded for it were deleted again: ${deleted.join(', ')}.`);
		if (kept.length > 0) {
			sentences.push(
				draftMayExist
					? `The permanent image(s) uploaded for it were kept, because the draft may have been created: ${kept.join(', ')}.`
					: `The permanent image(s) it uploaded were kept, because another draft of this run uses them: ${kept.join(', ')}.`,
			);
		}
		if (failed.length > 0) sentences.push(`These permanent image(s) could not be deleted; delete them in the media library (素材库) if unused: ${failed.join('; ')}.`);
		return sentences.join(' ');
	}
}
