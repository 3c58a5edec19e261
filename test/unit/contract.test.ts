import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import type { ICredentialType, INodeProperties, INodeTypeDescription } from 'n8n-workflow';

import { ensurePackageBuilt } from '../helpers/packageBuild';

// docs/contract.md, the names users' saved workflows depend on, checked against the BUILT package
// (dist/, what n8n loads). Each check names what is missing, so a failure reads as a to-do.
const ROOT = path.resolve(__dirname, '../..');
const CONTRACT = readFileSync(path.join(ROOT, 'docs/contract.md'), 'utf8');
interface PackageJson {
	name: string;
	license: string;
	keywords: string[];
	dependencies?: Record<string, string>;
	peerDependencies: Record<string, string>;
	n8n: { credentials: string[]; nodes: string[] };
}
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as PackageJson;
const requireBuilt = createRequire(path.join(ROOT, 'dist/'));

interface BuiltEvents {
	parseXmlMessage(xml: string): Record<string, unknown>;
	toPublishEventItem(message: Record<string, unknown>): Record<string, unknown>;
	publishStatusName(status: number): string;
}

interface BuiltMassSend {
	toMassSendEventItem(message: Record<string, unknown>): Record<string, unknown>;
}

type Built = {
	action: INodeTypeDescription;
	/** Version 3, the default for new nodes. */
	trigger: INodeTypeDescription;
	triggerVersions: Record<number, INodeTypeDescription>;
	triggerDefaultVersion?: number;
	credential: ICredentialType;
	events: BuiltEvents;
	massSend: BuiltMassSend;
};
let built: Built;

beforeAll(() => {
	ensurePackageBuilt();
	const load = <T>(file: string, exported: string) => {
		const Built = (requireBuilt(path.join(ROOT, file)) as Record<string, new () => T>)[exported];
		return new Built();
	};
	const trigger = load<{ description: { defaultVersion?: number }; nodeVersions: Record<number, { description: INodeTypeDescription }> }>(
		'dist/nodes/WeChatOfficialAccountTrigger/WeChatOfficialAccountTrigger.node.js',
		'WeChatOfficialAccountTrigger',
	);
	const triggerVersions = Object.fromEntries(Object.entries(trigger.nodeVersions).map(([version, node]) => [version, node.description]));
	built = {
		action: load<{ description: INodeTypeDescription }>('dist/nodes/WeChatOfficialAccount/WeChatOfficialAccount.node.js', 'WeChatOfficialAccount').description,
		trigger: triggerVersions[3],
		triggerVersions,
		triggerDefaultVersion: trigger.description.defaultVersion,
		massSend: requireBuilt(path.join(ROOT, 'dist/nodes/wechat/massSend.js')) as BuiltMassSend,
		credential: load<ICredentialType>('dist/credentials/WeChatOfficialAccountApi.credentials.js', 'WeChatOfficialAccountApi'),
		events: requireBuilt(path.join(ROOT, 'dist/nodes/wechat/events.js')) as BuiltEvents,
	};
});

/** n8n's display condition `{ _cnd: { gte: n } }` (the only one used here), or plain equality. */
function allows(allowed: unknown, value: unknown): boolean {
	const gte = (allowed as { _cnd?: { gte?: number } } | null)?._cnd?.gte;
	return gte !== undefined ? typeof value === 'number' && value >= gte : allowed === value;
}

/**
 * Whether a parameter is shown for these values of other parameters (n8n's show/hide; the node
 * version as '@version', the default version when not given).
 */
function shownFor(property: INodeProperties, given: Record<string, unknown>): boolean {
	const { show, hide } = property.displayOptions ?? {};
	const values: Record<string, unknown> = { '@version': built.action.defaultVersion, ...given };
	const matches = (rule: Record<string, unknown[] | undefined>, all: boolean) => {
		const results = Object.entries(rule)
			.filter(([name]) => name in values)
			.map(([name, allowed]) => (allowed ?? []).some((entry) => allows(entry, values[name])));
		return all ? results.every(Boolean) : results.some(Boolean);
	};
	if (show && !matches(show as Record<string, unknown[]>, true)) return false;
	if (hide && matches(hide as Record<string, unknown[]>, false)) return false;
	return true;
}

/** The top-level parameter `name` shown for a resource and operation, or a failure naming it. */
function param(resource: string, operation: string, name: string): INodeProperties {
	const found = built.action.properties.filter(
		(property) => property.name === name && shownFor(property, { resource, operation }),
	);
	if (found.length === 0) throw new Error(`missing: parameter \`${name}\` on ${resource} → ${operation}`);
	return found[0];
}

/** The field `name` inside a collection or fixed collection, or a failure naming it. */
function field(collection: INodeProperties, name: string, where: string): INodeProperties {
	const options = (collection.options ?? []) as Array<INodeProperties & { values?: INodeProperties[] }>;
	const fields = options.flatMap((option) => option.values ?? [option]);
	const found = fields.find((candidate) => candidate.name === name);
	if (!found) throw new Error(`missing: \`${name}\` in ${where}`);
	return found;
}

const optionValues = (property: INodeProperties) => ((property.options ?? []) as Array<{ value?: unknown }>).map(({ value }) => value);
const credentialField = (name: string) => {
	const found = built.credential.properties.find((property) => property.name === name);
	if (!found) throw new Error(`missing: credential field \`${name}\``);
	return found;
};

describe('package', () => {
	it('is n8n-nodes-wechat-publish, a community node package under MIT, with no runtime dependencies', () => {
		expect({ name: pkg.name, license: pkg.license, keyword: pkg.keywords.includes('n8n-community-node-package') }).toEqual({
			name: 'n8n-nodes-wechat-publish',
			license: 'MIT',
			keyword: true,
		});
		expect(Object.keys(pkg.dependencies ?? {})).toEqual([]);
		expect(Object.keys(pkg.peerDependencies)).toEqual(['n8n-workflow']);
	});

	it('lists the credential and both nodes in its n8n section', () => {
		expect(pkg.n8n.credentials).toEqual(['dist/credentials/WeChatOfficialAccountApi.credentials.js']);
		expect(pkg.n8n.nodes).toEqual([
			'dist/nodes/WeChatOfficialAccount/WeChatOfficialAccount.node.js',
			'dist/nodes/WeChatOfficialAccountTrigger/WeChatOfficialAccountTrigger.node.js',
		]);
	});
});

describe('credential weChatOfficialAccountApi', () => {
	it('has its name and display name', () => {
		expect([built.credential.name, built.credential.displayName]).toEqual(['weChatOfficialAccountApi', 'WeChat Official Account API']);
	});

	it('has appId (string), baseUrl (default https://api.weixin.qq.com) and the secrets as password fields', () => {
		expect(credentialField('appId').type).toBe('string');
		expect(credentialField('baseUrl').default).toBe('https://api.weixin.qq.com');
		for (const name of ['appSecret', 'token', 'encodingAesKey']) {
			expect({ name, password: credentialField(name).typeOptions?.password }).toEqual({ name, password: true });
		}
	});

	it('has authMode stable (default) / classic / tokenService; tokenMode, its earlier name, only hidden (read from saved credentials)', () => {
		const tokenMode = built.credential.properties.find(({ name }) => name === 'tokenMode');
		if (tokenMode && tokenMode.type !== 'hidden') throw new Error('shown: credential field `tokenMode` (renamed `authMode`; kept hidden for saved credentials)');
		const authMode = credentialField('authMode');
		expect({ values: optionValues(authMode), default: authMode.default }).toEqual({ values: ['stable', 'classic', 'tokenService'], default: 'stable' });
	});

	it('has the token service fields serviceUrl, serviceHeaderName, serviceHeaderValue (password), serviceResponseField (default access_token)', () => {
		expect(credentialField('serviceUrl').type).toBe('string');
		expect(credentialField('serviceHeaderName').type).toBe('string');
		expect(credentialField('serviceHeaderValue').typeOptions?.password).toBe(true);
		expect(credentialField('serviceResponseField').default).toBe('access_token');
	});
});

describe('action node weChatOfficialAccount', () => {
	it('has its name, display name, the credential, one main output, and is usable as a tool (weChatOfficialAccountTool)', () => {
		const { name, displayName, outputs, usableAsTool, credentials } = built.action;
		expect({ name, displayName, outputs, usableAsTool }).toEqual({ name: 'weChatOfficialAccount', displayName: 'WeChat Official Account', outputs: ['main'], usableAsTool: true });
		expect(credentials?.map((credential) => credential.name)).toEqual(['weChatOfficialAccountApi']);
	});

	it.each([
		['publish', ['submit', 'get', 'getMany', 'getArticle', 'delete']],
		['draft', ['create', 'get', 'update', 'delete', 'getMany', 'count']],
		['image', ['uploadCover', 'uploadContentImage']],
		['article', ['render']],
		['massMessage', ['send', 'preview', 'get', 'delete']],
		['statistics', ['getArticleDetails', 'getDailyReads', 'getDailyShares', 'getSummary']],
		['comment', ['getMany', 'reply', 'deleteReply', 'feature', 'unfeature', 'delete', 'open', 'close']],
	])('resource %s has the operations %j', (resource, operations) => {
		if (!optionValues(built.action.properties.find((property) => property.name === 'resource')!).includes(resource)) {
			throw new Error(`missing: resource \`${resource}\``);
		}
		const operation = built.action.properties.find((property) => property.name === 'operation' && shownFor(property, { resource }));
		if (!operation) throw new Error(`missing: the operations of resource \`${resource}\``);
		expect(optionValues(operation)).toEqual(expect.arrayContaining(operations));
	});

	it('publish → submit: mediaId is a resource locator (list, id); options waitForResult (false), waitTimeout, pollInterval', () => {
		const mediaId = param('publish', 'submit', 'mediaId');
		expect(mediaId.type).toBe('resourceLocator');
		expect((mediaId.modes ?? []).map(({ name }) => name)).toEqual(expect.arrayContaining(['list', 'id']));
		const options = param('publish', 'submit', 'options');
		expect(field(options, 'waitForResult', 'publish → submit options').default).toBe(false);
		field(options, 'waitTimeout', 'publish → submit options');
		field(options, 'pollInterval', 'publish → submit options');
	});

	it('massMessage → send: mediaId and tagId resource locators, recipients all (default) / tag, the options and their defaults', () => {
		for (const [name, modes] of [['mediaId', ['list', 'id']], ['tagId', ['list', 'id']]] as const) {
			const locator = name === 'tagId' ? built.action.properties.find((property) => property.name === 'tagId' && shownFor(property, { resource: 'massMessage', operation: 'send', recipients: 'tag' })) : param('massMessage', 'send', name);
			if (!locator) throw new Error(`missing: parameter \`${name}\` on massMessage → send`);
			expect({ name, type: locator.type, modes: (locator.modes ?? []).map((mode) => mode.name) }).toEqual({ name, type: 'resourceLocator', modes: expect.arrayContaining([...modes]) });
		}
		const recipients = param('massMessage', 'send', 'recipients');
		expect({ values: optionValues(recipients), default: recipients.default }).toEqual({ values: ['all', 'tag'], default: 'all' });
		const options = param('massMessage', 'send', 'options');
		const defaults = Object.fromEntries(['sendIgnoreReprint', 'sendFromEditor', 'waitForResult', 'clientMsgId'].map((name) => [name, field(options, name, 'massMessage → send options').default]));
		expect(defaults).toEqual({ sendIgnoreReprint: false, sendFromEditor: false, waitForResult: false, clientMsgId: '' });
		field(options, 'waitTimeout', 'massMessage → send options');
		field(options, 'pollInterval', 'massMessage → send options');
	});

	it('massMessage → preview (mediaId, previewTo wechatId / openId, recipient), get (msgId), delete (msgId, a required deleteScope one / all, articleNumber)', () => {
		param('massMessage', 'preview', 'mediaId');
		expect(optionValues(param('massMessage', 'preview', 'previewTo'))).toEqual(['wechatId', 'openId']);
		param('massMessage', 'preview', 'recipient');
		param('massMessage', 'get', 'msgId');
		param('massMessage', 'delete', 'msgId');
		const scope = param('massMessage', 'delete', 'deleteScope');
		expect({ values: optionValues(scope), required: scope.required }).toEqual({ values: ['one', 'all'], required: true });
		expect(built.action.properties.find((property) => property.name === 'articleNumber' && shownFor(property, { resource: 'massMessage', operation: 'delete', deleteScope: 'one' }))).toBeDefined();
	});

	it.each(['getArticleDetails', 'getDailyReads', 'getDailyShares', 'getSummary'])('statistics → %s: startDate, endDate, simplify (true)', (operation) => {
		param('statistics', operation, 'startDate');
		param('statistics', operation, 'endDate');
		expect(param('statistics', operation, 'simplify').default).toBe(true);
	});

	it.each(['getMany', 'reply', 'deleteReply', 'feature', 'unfeature', 'delete', 'open', 'close'])('comment → %s: msgDataId, articleNumber (from 1)', (operation) => {
		param('comment', operation, 'msgDataId');
		const articleNumber = param('comment', operation, 'articleNumber');
		expect({ default: articleNumber.default, minValue: articleNumber.typeOptions?.minValue }).toEqual({ default: 1, minValue: 1 });
	});

	it('comment → getMany: commentType all (default) / normal / featured, returnAll, limit', () => {
		const commentType = param('comment', 'getMany', 'commentType');
		expect(optionValues(commentType)).toEqual(['all', 'normal', 'featured']);
		expect(commentType.default).toBe('all');
		param('comment', 'getMany', 'returnAll');
		param('comment', 'getMany', 'limit');
	});

	it.each(['reply', 'deleteReply', 'feature', 'unfeature', 'delete'])('comment → %s: userCommentId', (operation) => {
		param('comment', operation, 'userCommentId');
	});

	it('comment → reply: content', () => {
		param('comment', 'reply', 'content');
	});

	it('publish → get: publishId', () => {
		param('publish', 'get', 'publishId');
	});

	it('is version 1 and 2, 2 by default', () => {
		expect({ version: built.action.version, defaultVersion: built.action.defaultVersion }).toEqual({ version: [1, 2], defaultVersion: 2 });
	});

	it('publish → delete of version 1 keeps its saved index (0 every article, n the n-th), version 2 has deleteScope and articleNumber', () => {
		const names = (version: number) =>
			built.action.properties
				.filter((property) => shownFor(property, { resource: 'publish', operation: 'delete', deleteScope: 'one', '@version': version }))
				.filter((property) => property.displayOptions?.show?.operation?.includes('delete'))
				.map(({ name }) => name);
		expect({ 1: names(1), 2: names(2) }).toEqual({ 1: ['articleId', 'index'], 2: ['articleId', 'deleteScope', 'articleNumber'] });
	});

	it('publish → delete: names the article explicitly (a required choice), and no default deletes every article', () => {
		const shown = built.action.properties.filter((property) => shownFor(property, { resource: 'publish', operation: 'delete' }) && property.displayOptions);
		const allByDefault = shown.filter((property) => property.default === 0 && /\ball\b/i.test(property.description ?? ''));
		expect(allByDefault.map(({ name }) => `\`${name}\` defaults to 0 = every article`)).toEqual([]);
		const choice = shown.filter((property) => property.name !== 'articleId' && property.required);
		if (choice.length === 0) throw new Error('missing: a required parameter choosing which article publish → delete deletes (all, or a 1-based index)');
	});

	it.each(['create', 'update'])('draft → %s: contentFormat html (default) / markdown', (operation) => {
		const contentFormat = param('draft', operation, 'contentFormat');
		expect({ values: optionValues(contentFormat), default: contentFormat.default }).toEqual({ values: ['html', 'markdown'], default: 'html' });
	});

	it.each(['create', 'update'])('draft → %s: options rehostImages, linkFootnotes, theme, coverFromContent, verifyDraft, allowPrivateNetwork, convertImages and their defaults', (operation) => {
		const options = param('draft', operation, 'options');
		const where = `draft → ${operation} options`;
		const defaults = Object.fromEntries(
			['rehostImages', 'linkFootnotes', 'coverFromContent', 'verifyDraft', 'allowPrivateNetwork', 'convertImages'].map((name) => [name, field(options, name, where).default]),
		);
		expect(defaults).toEqual({ rehostImages: true, linkFootnotes: true, coverFromContent: true, verifyDraft: true, allowPrivateNetwork: false, convertImages: true });
		field(options, 'theme', where);
	});

	it('draft → create: article fields title, content, thumb_media_id, coverImage, article_type (news default, newspic), images', () => {
		const articles = param('draft', 'create', 'articles');
		for (const name of ['title', 'content', 'thumb_media_id', 'coverImage', 'images']) field(articles, name, 'draft → create article fields');
		const articleType = field(articles, 'article_type', 'draft → create article fields');
		expect({ values: optionValues(articleType), default: articleType.default }).toEqual({ values: ['news', 'newspic'], default: 'news' });
	});

	it('draft → update: the article fields coverImage, article_type, images among the fields to update', () => {
		const updateFields = param('draft', 'update', 'updateFields');
		for (const name of ['title', 'content', 'coverImage', 'article_type', 'images']) field(updateFields, name, 'draft → update updateFields');
	});

	it('article → render: content, contentFormat, options linkFootnotes, theme, outputBinary and binaryPropertyName, and no credential', () => {
		param('article', 'render', 'content');
		param('article', 'render', 'contentFormat');
		const options = param('article', 'render', 'options');
		for (const name of ['linkFootnotes', 'theme', 'outputBinary', 'binaryPropertyName']) field(options, name, 'article → render options');
		const credential = built.action.credentials?.find(({ name }) => name === 'weChatOfficialAccountApi');
		const needed = credential && (credential.required ?? false) && shownFor(credential as unknown as INodeProperties, { resource: 'article', operation: 'render' });
		if (needed) throw new Error('missing: article → render still requires the credential');
	});
});

describe('trigger node weChatOfficialAccountTrigger', () => {
	it('has its name, display name and the credential', () => {
		expect([built.trigger.name, built.trigger.displayName]).toEqual(['weChatOfficialAccountTrigger', 'WeChat Official Account Trigger']);
		expect(built.trigger.credentials?.map((credential) => credential.name)).toEqual(['weChatOfficialAccountApi']);
	});

	it('version 3 (the default) has six outputs, a static list in this order: Published, Failed, Removed, Sent, Not Sent, Other', () => {
		expect(built.triggerDefaultVersion).toBe(3);
		expect(built.trigger.outputs).toEqual(['main', 'main', 'main', 'main', 'main', 'main']);
		expect(built.trigger.outputNames).toEqual(['Published', 'Failed', 'Removed', 'Sent', 'Not Sent', 'Other']);
	});

	it('versions 1 and 2 keep four outputs in this order: Published, Failed, Removed, Other', () => {
		for (const version of [1, 2]) {
			expect({ version, outputs: built.triggerVersions[version].outputs, names: built.triggerVersions[version].outputNames }).toEqual({
				version,
				outputs: ['main', 'main', 'main', 'main'],
				names: ['Published', 'Failed', 'Removed', 'Other'],
			});
		}
	});

	it("turns WeChat's documented MASSSENDJOBFINISH into the mass-send event item of docs/contract.md, exactly", () => {
		const documented = /### The mass-send event item[\s\S]*?```json\n([\s\S]*?)```/.exec(CONTRACT);
		if (!documented) throw new Error('missing: the mass-send event item example in docs/contract.md');
		const xml = `<xml><ToUserName><![CDATA[gh_4d00ed8d6399]]></ToUserName><FromUserName><![CDATA[oV5CrjpxgaGXNHIQigzNlgLTnwic]]></FromUserName><CreateTime>1394524295</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[MASSSENDJOBFINISH]]></Event><MsgID>1000001625</MsgID><Status><![CDATA[err(10001)]]></Status><TotalCount>100</TotalCount><FilterCount>80</FilterCount><SentCount>75</SentCount><ErrorCount>5</ErrorCount><CopyrightCheckResult><Count>1</Count><ResultList><item><ArticleIdx>1</ArticleIdx><UserDeclareState>0</UserDeclareState><AuditState>0</AuditState><OriginalArticleUrl><![CDATA[]]></OriginalArticleUrl><OriginalArticleType>0</OriginalArticleType><CanReprint>0</CanReprint><NeedReplaceContent>0</NeedReplaceContent><NeedShowReprintSource>0</NeedShowReprintSource></item></ResultList><CheckState>1</CheckState></CopyrightCheckResult><ArticleUrlResult><Count>1</Count><ResultList><item><ArticleIdx>1</ArticleIdx><ArticleUrl><![CDATA[https://mp.weixin.qq.com/s/ARTICLE]]></ArticleUrl></item></ResultList></ArticleUrlResult></xml>`;
		const item = built.massSend.toMassSendEventItem(built.events.parseXmlMessage(xml));
		expect(item).toEqual(JSON.parse(documented[1]));
	});

	it('serves GET and POST on one path', () => {
		const webhooks = built.trigger.webhooks ?? [];
		expect(webhooks.map(({ httpMethod }) => httpMethod).sort()).toEqual(['GET', 'POST']);
		expect(new Set(webhooks.map(({ path: webhookPath }) => webhookPath)).size).toBe(1);
	});

	it('has options emitOtherEvents (false), maxTimestampAge (300) and acceptPlainPushes (false)', () => {
		const options = built.trigger.properties.find((property) => property.name === 'options');
		if (!options) throw new Error('missing: the trigger options');
		const defaults = Object.fromEntries(['emitOtherEvents', 'maxTimestampAge', 'acceptPlainPushes'].map((name) => [name, field(options, name, 'trigger options').default]));
		expect(defaults).toEqual({ emitOtherEvents: false, maxTimestampAge: 300, acceptPlainPushes: false });
	});

	it("turns WeChat's documented push into the publish event item of docs/contract.md, exactly", () => {
		const documented = /### The publish event item[\s\S]*?```json\n([\s\S]*?)```/.exec(CONTRACT);
		if (!documented) throw new Error('missing: the publish event item example in docs/contract.md');
		const xml = `<xml><ToUserName><![CDATA[gh_4d00ed8d6399]]></ToUserName><FromUserName><![CDATA[oV5CrjpxgaGXNHIQigzNlgLTnwic]]></FromUserName><CreateTime>1481013459</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[PUBLISHJOBFINISH]]></Event><PublishEventInfo><publish_id>2247503051</publish_id><publish_status>0</publish_status><article_id><![CDATA[b5O2OUs25HBxRceL7hfReg-U9QGeq9zQjiDvyWP4Hq4]]></article_id><article_detail><count>1</count><item><idx>1</idx><article_url><![CDATA[ARTICLE_URL]]></article_url></item></article_detail></PublishEventInfo></xml>`;
		const item = built.events.toPublishEventItem(built.events.parseXmlMessage(xml));
		expect(JSON.stringify(item)).toBe(JSON.stringify(JSON.parse(documented[1])));
	});

	it('names every status of docs/contract.md', () => {
		const names = [0, 1, 2, 3, 4, 5, 6, 99].map((status) => built.events.publishStatusName(status));
		expect(names).toEqual(['published', 'publishing', 'originality_check_failed', 'failed', 'audit_rejected', 'deleted_by_user', 'blocked_by_platform', 'unknown']);
		for (const name of names) expect(CONTRACT).toContain(`\`${name}\``);
	});
});

describe('docs/contract.md', () => {
	it('names every parameter, option and field these checks hold the package to', () => {
		const checked = ['weChatOfficialAccount', 'weChatOfficialAccountTrigger', 'weChatOfficialAccountApi', 'weChatOfficialAccountTool', 'authMode', 'tokenService', 'serviceResponseField', 'contentFormat', 'acceptPlainPushes', 'emitOtherEvents', 'maxTimestampAge', 'uploadContentImage', 'getArticle', 'render', 'publishId', 'mediaId', 'waitForResult', 'rehostImages', 'allowPrivateNetwork', 'convertImages', 'coverImage', 'article_type', 'newspic', 'massMessage', 'recipients', 'tagId', 'sendIgnoreReprint', 'clientMsgId', 'sendFromEditor', 'previewTo', 'recipient', 'msgId', 'deleteScope', 'articleNumber', 'alreadySent', 'clientmsgid', 'msg_status', 'Sent', 'Not Sent', 'statusCode', 'statusReason', 'statistics', 'comment', 'startDate', 'endDate', 'simplify', 'msgDataId', 'commentType', 'userCommentId'];
		expect(checked.filter((name) => !CONTRACT.includes(`\`${name}\``))).toEqual([]);
	});
});
