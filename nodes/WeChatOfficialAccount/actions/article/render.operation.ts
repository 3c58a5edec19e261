import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { DEFAULT_THEME, renderArticle, THEMES, type ContentFormat } from '../../../wechat/article';
import type { CallKind } from '../../../wechat/api';

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
			themeOption,
		],
	},
]);

/** Sends nothing to WeChat; for the router a read (Retry On Fail is harmless here). */
export const kind: CallKind = 'read';

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const content = this.getNodeParameter('content', itemIndex) as string;
	const format = this.getNodeParameter('contentFormat', itemIndex) as ContentFormat;
	const options = this.getNodeParameter('options', itemIndex, {}) as { linkFootnotes?: boolean; theme?: string };
	if (typeof content !== 'string') {
		throw new NodeOperationError(this.getNode(), 'Content must be text (Markdown or HTML)', { itemIndex });
	}
	try {
		const article = renderArticle(content, { format, theme: options.theme, linkFootnotes: options.linkFootnotes });
		return { ...article } as unknown as IDataObject;
	} catch (error) {
		throw new NodeOperationError(this.getNode(), (error as Error).message, { itemIndex });
	}
}
