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

/** The parameters of the Get Many operations of drafts and published articles. */
export const getManyProperties: INodeProperties[] = [
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
 * `required` is set per use: Create needs title and content, Update changes only what is given.
 */
export function articleFields(required: boolean): INodeProperties[] {
	return [
		{
			displayName: 'Title',
			name: 'title',
			type: 'string',
			default: '',
			required,
			description: 'Article title, up to 64 characters',
		},
		{
			displayName: 'Content (HTML)',
			name: 'content',
			type: 'string',
			typeOptions: { rows: 8 },
			default: '',
			required,
			description:
				'Article body in HTML (under 20,000 characters and 1 MB). Images must be uploaded first with Image → Upload Content Image; WeChat removes images from other hosts and all JavaScript.',
		},
		{
			displayName: 'Cover Media ID',
			name: 'thumb_media_id',
			type: 'string',
			default: '',
			description:
				'The media_id of the cover image, returned by Image → Upload Cover. WeChat requires a cover to publish the article.',
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
