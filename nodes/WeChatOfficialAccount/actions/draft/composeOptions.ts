import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { type ContentFormat, DEFAULT_THEME } from '../../../wechat/article';
import { linkFootnotesOption, themeOption } from '../article/render.operation';

/** The composer's parameters of Draft → Create and Draft → Update. */
export const contentFormatParameter: INodeProperties = {
	displayName: 'Content Format',
	name: 'contentFormat',
	type: 'options',
	options: [
		{
			name: 'HTML',
			value: 'html',
			description: 'Ordinary HTML: scripts removed, links and images prepared for WeChat',
		},
		{
			name: 'Markdown',
			value: 'markdown',
			description: 'Markdown (CommonMark with tables, task lists, footnotes, code) rendered with inline styles',
		},
	],
	default: 'html',
	description: "The format of each article's content",
};

export const composeOptionsParameter: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Allow Private Network',
			name: 'allowPrivateNetwork',
			type: 'boolean',
			default: false,
			description:
				'Whether image URLs on loopback, private, link-local or cloud-metadata addresses may be downloaded. Off, they are refused.',
		},
		{
			displayName: 'Convert Images',
			name: 'convertImages',
			type: 'boolean',
			default: true,
			description:
				'Whether images WeChat refuses are converted before upload: WebP to JPEG or PNG, GIF in article content to its first frame, images over the size limit scaled down. Off, they stop the item.',
		},
		{
			displayName: 'Cover From Content',
			name: 'coverFromContent',
			type: 'boolean',
			default: true,
			description:
				"Whether an article without Cover Media ID or Cover Image gets its content's first image as cover",
		},
		{
			displayName: 'Image Download Timeout',
			name: 'imageTimeout',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 20,
			description: 'Seconds to wait for an image URL to answer before the item fails',
		},
		linkFootnotesOption,
		{
			displayName: 'Re-Host Images',
			name: 'rehostImages',
			type: 'boolean',
			default: true,
			description:
				"Whether images not on WeChat's image hosts are uploaded to WeChat and their src replaced (WeChat removes the others)",
		},
		themeOption,
		{
			displayName: 'Verify Draft',
			name: 'verifyDraft',
			type: 'boolean',
			default: true,
			description:
				"Whether to read the draft back once and warn (in the output's warnings) when WeChat dropped an image",
		},
	],
};

export interface ComposeOptions {
	contentFormat: ContentFormat;
	rehostImages: boolean;
	linkFootnotes: boolean;
	theme: string;
	coverFromContent: boolean;
	verifyDraft: boolean;
	allowPrivateNetwork: boolean;
	imageTimeoutMs: number;
	convertImages: boolean;
}

export function readComposeOptions(this: IExecuteFunctions, itemIndex: number): ComposeOptions {
	const format = this.getNodeParameter('contentFormat', itemIndex, 'html') as string;
	const option = <T>(name: string, fallback: T): T =>
		this.getNodeParameter(`options.${name}`, itemIndex, fallback) as T;
	return {
		contentFormat: format === 'markdown' ? 'markdown' : 'html',
		rehostImages: option('rehostImages', true),
		linkFootnotes: option('linkFootnotes', true),
		theme: option('theme', DEFAULT_THEME),
		coverFromContent: option('coverFromContent', true),
		verifyDraft: option('verifyDraft', true),
		allowPrivateNetwork: option('allowPrivateNetwork', false),
		imageTimeoutMs: Math.max(1, Number(option('imageTimeout', 20))) * 1000,
		convertImages: option('convertImages', true),
	};
}
