import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { DEFAULT_THEME, renderArticle, THEMES, type ContentFormat, type RenderedArticle } from '../../../wechat/article';
import { previewPage, PREVIEW_WIDTH_PX } from '../../../wechat/article/preview';
import type { CallKind } from '../../../wechat/api';
import { OutputItem } from '../outputItem';

const THEME_DESCRIPTIONS: Record<string, string> = {
	default: 'WeChat green accents, light code blocks',
	classic: 'Serif text, muted brown accents, centred headings: for essays',
	tech: 'Blue accents, dark code blocks: for articles with a lot of code',
};

/** The renderer's options, for every operation that renders an article. */
export const linkFootnotesOption: INodeProperties = {
	displayName: 'Link Footnotes',
	name: 'linkFootnotes',
	type: 'boolean',
	default: true,
	description:
		'Whether links to sites other than mp.weixin.qq.com become their text plus a numbered reference list at the end (WeChat removes their targets). Off, links stay as they are.',
};

export const themeOption: INodeProperties = {
	displayName: 'Theme',
	name: 'theme',
	type: 'options',
	options: THEMES.map((theme) => ({
		name: theme.charAt(0).toUpperCase() + theme.slice(1),
		value: theme,
		description: THEME_DESCRIPTIONS[theme],
	})),
	default: DEFAULT_THEME,
	description: 'The look: fonts, colours, headings, code blocks. Styles the author wrote inline are kept.',
};

export const description = updateDisplayOptions({ show: { resource: ['article'], operation: ['render'] } }, [
	{
		displayName: 'Content',
		name: 'content',
		type: 'string',
		typeOptions: { rows: 10 },
		default: '',
		required: true,
		description:
			'The article body in the Content Format below. Image src may be any http(s) URL, a data: URI or binary:&lt;property&gt;: they are listed in the output and kept as written (Draft → Create uploads them).',
	},
	{
		displayName: 'Content Format',
		name: 'contentFormat',
		type: 'options',
		options: [
			{
				name: 'Markdown',
				value: 'markdown',
				description: 'CommonMark with GFM tables, task lists, strikethrough, footnotes and highlighted code',
			},
			{
				name: 'HTML',
				value: 'html',
				description: 'Ordinary HTML: sanitised, links turned into references, inline styles where it has none',
			},
		],
		default: 'markdown',
		description: 'The format of Content',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			linkFootnotesOption,
			{
				displayName: 'Output HTML File',
				name: 'outputBinary',
				type: 'boolean',
				default: false,
				description: `Whether to also return the article as an .html file: a ${PREVIEW_WIDTH_PX} px wide page with its title, as on a phone, that n8n's binary viewer opens and a mail or chat node can attach`,
			},
			{
				displayName: 'Put File In Field',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				description: 'The binary property of the output item that holds the .html file',
				displayOptions: { show: { outputBinary: [true] } },
			},
			themeOption,
		],
	},
]);

/** The title as a file name: characters file systems refuse become dashes. */
function fileNameOf(title: string | undefined): string {
	return (title ?? '').replace(/[\\/:*?"<>|\s\u0000-\u001f]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'article';
}

/** Sends nothing to WeChat; for the router a read (Retry On Fail is harmless here). */
export const kind: CallKind = 'read';

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject | OutputItem> {
	const content = this.getNodeParameter('content', itemIndex) as string;
	const format = this.getNodeParameter('contentFormat', itemIndex) as ContentFormat;
	const options = this.getNodeParameter('options', itemIndex, {}) as {
		linkFootnotes?: boolean;
		theme?: string;
		outputBinary?: boolean;
		binaryPropertyName?: string;
	};
	if (typeof content !== 'string') {
		throw new NodeOperationError(this.getNode(), 'Content must be text (Markdown or HTML)', { itemIndex });
	}
	let article: RenderedArticle;
	try {
		article = renderArticle(content, { format, theme: options.theme, linkFootnotes: options.linkFootnotes });
	} catch (error) {
		throw new NodeOperationError(this.getNode(), (error as Error).message, { itemIndex });
	}
	const json = { ...article } as unknown as IDataObject;
	if (!options.outputBinary) return json;
	const property = (options.binaryPropertyName ?? '').trim() || 'data';
	const file = await this.helpers.prepareBinaryData(
		Buffer.from(previewPage(article.html, article.fields), 'utf8'),
		`${fileNameOf(article.fields.title)}.html`,
		'text/html',
	);
	return new OutputItem(json, { [property]: file });
}
