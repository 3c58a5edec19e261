import type { INodeProperties } from 'n8n-workflow';

/** The draft to act on: picked from a searchable list of drafts, or given by its media_id. */
export const draftLocator: INodeProperties = {
	displayName: 'Draft',
	name: 'mediaId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description:
		'The draft, by its media_id (returned by Draft → Create). Pick it from the list or enter the ID, for example from an earlier node.',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a draft...',
			typeOptions: {
				searchListMethod: 'searchDrafts',
				searchable: true,
			},
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. Nnbwtl6LsvQkDJdt6fO2fE0xq8tO5ALAvFqEqsUZ24o',
		},
	],
};

/** Return All, and Limit when it is off: n8n's usual pair for lists. */
export const returnAllProperties: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

/** The parameters of the Get Many operations of drafts and published articles. */
export const getManyProperties: INodeProperties[] = [
	...returnAllProperties,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Without Content',
				name: 'noContent',
				type: 'boolean',
				default: false,
				description: 'Whether to leave out the HTML content of the articles (faster, smaller items)',
			},
		],
	},
];

/**
 * The fields of one article, named as WeChat names them in `draft/add` and `draft/update`.
 * `required` is set per use: Create needs content (the title may come from it), Update changes only what is given.
 */
export function articleFields(required: boolean): INodeProperties[] {
	return [
		{
			displayName: 'Title',
			name: 'title',
			type: 'string',
			default: '',
			description:
				'Article title, up to 64 characters (a CJK character counts as one). With Markdown content it may be left empty: the front matter\'s title, or else a leading # Heading, becomes the title.',
		},
		{
			displayName: 'Content',
			name: 'content',
			type: 'string',
			typeOptions: { rows: 8 },
			default: '',
			required,
			description:
				'Article body in the Content Format chosen above (HTML or Markdown); under 20,000 characters and 1 MB once rendered. Image src may be any http(s) URL, a data: URI or binary:&lt;property&gt; (a binary property of the input item): they are uploaded to WeChat. For an image post, plain text.',
		},
		{
			displayName: 'Cover Media ID',
			name: 'thumb_media_id',
			type: 'string',
			default: '',
			description:
				'The media_id of a cover image already uploaded (Image → Upload Cover). Wins over Cover Image. WeChat requires a cover for an ordinary article.',
		},
		{
			displayName: 'Cover Image',
			name: 'coverImage',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://example.com/cover.jpg or binary:data',
			description:
				'The cover as an image URL or binary:&lt;property&gt; (a binary property of the input item): JPEG, PNG, GIF or BMP up to 10 MB, uploaded as permanent material',
		},
		{
			displayName: 'Article Type',
			name: 'article_type',
			type: 'options',
			options: [
				{ name: 'Article', value: 'news', description: 'An ordinary article' },
				{ name: 'Image Post (贴图)', value: 'newspic', description: 'Up to 20 pictures with plain text' },
			],
			default: 'news',
		},
		{
			displayName: 'Images',
			name: 'images',
			type: 'string',
			typeOptions: { rows: 3 },
			default: '',
			placeholder: 'e.g. https://example.com/1.jpg',
			description:
				'Image posts only: 1 to 20 pictures, one URL or binary:&lt;property&gt; per line, each uploaded as permanent material',
			// Only a new image post has pictures to give; an update may change those of an existing one.
			...(required ? { displayOptions: { show: { article_type: ['newspic'] } } } : {}),
		},
		{
			displayName: 'Author',
			name: 'author',
			type: 'string',
			default: '',
			description: 'Author name shown under the title, up to 16 characters',
		},
		{
			displayName: 'Summary',
			name: 'digest',
			type: 'string',
			default: '',
			description:
				'Short summary shown in chat and share cards, up to 120 characters. When empty, WeChat uses the start of the content (single-article drafts only).',
		},
		{
			displayName: 'Original Article URL',
			name: 'content_source_url',
			type: 'string',
			default: '',
			description: 'Link opened by "Read more" (阅读原文) at the end of the article',
		},
		{
			displayName: 'Open Comments',
			name: 'need_open_comment',
			type: 'boolean',
			default: false,
			description: 'Whether readers can comment on the article',
		},
		{
			displayName: 'Only Followers Can Comment',
			name: 'only_fans_can_comment',
			type: 'boolean',
			default: false,
			description: 'Whether only followers of the account can comment (when comments are open)',
		},
	];
}
