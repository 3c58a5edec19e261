import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

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

type ImageFormat = 'jpeg' | 'png' | 'gif' | 'bmp';

const FORMATS: Record<ImageFormat, { signature: number[]; extension: string; mimeType: string }> = {
	jpeg: { signature: [0xff, 0xd8, 0xff], extension: 'jpg', mimeType: 'image/jpeg' },
	png: {
		signature: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
		extension: 'png',
		mimeType: 'image/png',
	},
	gif: { signature: [0x47, 0x49, 0x46, 0x38], extension: 'gif', mimeType: 'image/gif' },
	bmp: { signature: [0x42, 0x4d], extension: 'bmp', mimeType: 'image/bmp' },
};

const FORMAT_NAMES: Record<ImageFormat, string> = { jpeg: 'JPEG', png: 'PNG', gif: 'GIF', bmp: 'BMP' };

/** The format from the file's first bytes: a MIME type or file name can be wrong or missing. */
function detectFormat(data: Buffer): ImageFormat | undefined {
	return (Object.keys(FORMATS) as ImageFormat[]).find((format) =>
		FORMATS[format].signature.every((byte, at) => data[at] === byte),
	);
}

function formatSize(bytes: number): string {
	return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

export interface ImageRules {
	/** What the image is for, in messages: "A cover image", "A content image". */
	purpose: string;
	formats: ImageFormat[];
	/** The largest size WeChat accepts, in bytes, and the same limit in words. */
	maxBytes: number;
	limit: string;
}

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
