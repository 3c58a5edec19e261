import type { INodeProperties } from 'n8n-workflow';

import * as uploadContentImage from './uploadContentImage.operation';
import * as uploadCover from './uploadCover.operation';

export { uploadContentImage, uploadCover };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['image'] } },
		options: [
			{
				name: 'Upload Content Image',
				value: 'uploadContentImage',
				description:
					'Upload an image (JPEG or PNG, under 1 MB) for use inside article HTML. Returns its URL, to use as the src of an img tag in the content.',
				action: 'Upload an image for article content',
			},
			{
				name: 'Upload Cover',
				value: 'uploadCover',
				description:
					"Upload a cover image (JPEG, PNG, GIF or BMP, up to 10 MB) as permanent material. Returns the media_id for an article's Cover Media ID.",
				action: 'Upload a cover image',
			},
		],
		default: 'uploadCover',
	},
	...uploadCover.description,
	...uploadContentImage.description,
];
