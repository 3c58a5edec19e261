import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { CallKind } from '../../../wechat/api';
import { weChatRead } from '../../transport';
import { getRequiredString } from '../utils';

export const articleIdParameter: INodeProperties = {
	displayName: 'Article ID',
	name: 'articleId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. b5O2OUs25HBxRceL7hfReg-U9QGeq9zQjiDvyWP4Hq4',
	description:
		'The article_id of a published article, from Publish → Submit with Wait for Result, Publish → Get Status, Publish → Get Many or the trigger',
};

export const ARTICLE_ID_HINT =
	'Enter the article_id of a published article (from Publish → Get Status, Get Many or the trigger)';

export const description = updateDisplayOptions(
	{ show: { resource: ['publish'], operation: ['getArticle'] } },
	[articleIdParameter],
);

/** Only reads WeChat. */
export const kind: CallKind = 'read';

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const articleId = getRequiredString.call(this, 'articleId', itemIndex, ARTICLE_ID_HINT);
	const response = await weChatRead.call(this, 'POST', '/cgi-bin/freepublish/getarticle', {
		article_id: articleId,
	});
	return { article_id: articleId, ...response };
}
