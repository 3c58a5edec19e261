import type { AllEntities } from 'n8n-workflow';

export type NodeMap = {
	publish: 'submit' | 'get' | 'getMany' | 'getArticle' | 'delete';
	draft: 'create' | 'get' | 'update' | 'delete' | 'getMany' | 'count';
	image: 'uploadCover' | 'uploadContentImage';
	article: 'render';
	massMessage: 'send' | 'preview' | 'get' | 'delete';
	statistics: 'getArticleDetails' | 'getDailyReads' | 'getDailyShares' | 'getSummary';
	comment: 'getMany' | 'reply' | 'deleteReply' | 'feature' | 'unfeature' | 'delete' | 'open' | 'close';
};

/** Every valid resource/operation pair of the node, as saved in workflows. */
export type WeChatOfficialAccountType = AllEntities<NodeMap>;
