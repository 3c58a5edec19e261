import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { detectFormat, FORMAT_NAMES, FORMATS, formatSize, type ImageFormat, isWebp } from '../../../wechat/image/formats';

export const binaryPropertyParameter: INodeProperties = {
	displayName: 'Input Binary Field',
	name: 'binaryPropertyName',
	type: 'string',
	default: 'data',
	required: true,
	hint: 'The name of the input binary field containing the image to upload',
	description:
		'The name of the binary field of the input item that holds the image, for example "data" from an HTTP Request or Read/Write Files node',
};

/** What bytes WeChat does not take are, for messages: the common web formats by name. */
function describeOther(data: Buffer): string | undefined {
	const head = data.subarray(0, 256).toString('latin1');
	if (isWebp(data)) return 'WebP';
	if (head.slice(4, 12) === 'ftypavif') return 'AVIF';
	if (/^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<svg[\s>]/i.test(head)) return 'SVG';
	if (/^\s*<(!doctype html|html)/i.test(head)) return 'an HTML page';
	return undefined;
}

/**
 * Checks bytes against WeChat's rules for an upload: the format (by magic bytes) and the size.
 * Returns the upload's extension and MIME type, or why WeChat would refuse it.
 */
export function checkImageBytes(
	data: Buffer,
	rules: Pick<ImageRules, 'formats' | 'maxBytes' | 'limit'>,
): { ok: true; extension: string; mimeType: string } | { ok: false; problem: string } {
	const format = detectFormat(data);
	const allowed = rules.formats.map((name) => FORMAT_NAMES[name]).join(' or ');
	if (format === undefined || !rules.formats.includes(format)) {
		const found = format ? FORMAT_NAMES[format] : (describeOther(data) ?? 'not a recognised image');
		return { ok: false, problem: `it is ${found}; WeChat takes only ${allowed} here` };
	}
	if (data.length > rules.maxBytes) {
		return { ok: false, problem: `it is ${formatSize(data.length)}; WeChat takes ${rules.limit} here` };
	}
	return { ok: true, ...FORMATS[format] };
}

export interface ImageRules {
	/** What the image is for, in messages: "A cover image", "A content image". */
	purpose: string;
	formats: ImageFormat[];
	/** The largest size WeChat accepts, in bytes, and the same limit in words. */
	maxBytes: number;
	limit: string;
}

/** media/uploadimg: images inside article content. */
export const CONTENT_IMAGE_RULES: ImageRules = {
	purpose: 'A content image',
	formats: ['jpeg', 'png'],
	maxBytes: 1024 * 1024 - 1,
	limit: 'under 1 MB',
};

/** material/add_material, type image: covers and the pictures of image posts. */
export const COVER_IMAGE_RULES: ImageRules = {
	purpose: 'A cover image',
	formats: ['jpeg', 'png', 'gif', 'bmp'],
	maxBytes: 10 * 1024 * 1024,
	limit: 'at most 10 MB',
};

/**
 * Reads the image from the item's binary field and checks its type and size against WeChat's
 * limits before anything is sent, so a wrong file fails with a clear message.
 */
export async function readImage(
	this: IExecuteFunctions,
	itemIndex: number,
	rules: ImageRules,
): Promise<{ data: Buffer; fileName: string; mimeType: string }> {
	const propertyName = this.getNodeParameter('binaryPropertyName', itemIndex, 'data') as string;
	const binary = this.helpers.assertBinaryData(itemIndex, propertyName);
	const data = await this.helpers.getBinaryDataBuffer(itemIndex, propertyName);
	const givenName = binary.fileName ?? 'image';
	const format = detectFormat(data);
	const allowed = rules.formats.map((name) => FORMAT_NAMES[name]).join(', ');
	if (format === undefined || !rules.formats.includes(format)) {
		const found = format ? FORMAT_NAMES[format] : `not a recognised image (MIME type ${binary.mimeType})`;
		throw new NodeOperationError(
			this.getNode(),
			`${rules.purpose} must be ${allowed}; "${givenName}" in binary field "${propertyName}" is ${found}`,
			{ description: 'Convert the image first, for example with the Edit Image node', itemIndex },
		);
	}
	if (data.length > rules.maxBytes) {
		throw new NodeOperationError(
			this.getNode(),
			`${rules.purpose} must be ${rules.limit}; "${givenName}" is ${formatSize(data.length)}`,
			{ description: 'Make the image smaller first, for example with the Edit Image node (resize or lower quality)', itemIndex },
		);
	}
	const { extension, mimeType } = FORMATS[format];
	const baseName = givenName.replace(/\.[^.]*$/, '') || 'image';
	return { data, fileName: `${baseName}.${extension}`, mimeType };
}
