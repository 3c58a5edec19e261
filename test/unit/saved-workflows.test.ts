/**
 * Workflows and credentials saved by the previous release keep meaning what they meant. Each is
 * loaded as n8n loads it: n8n keeps only the parameters (and credential fields) the current
 * description declares for the node's saved version and fills in their defaults
 * (NodeHelpers.getNodeParameters; for credentials CredentialsHelper.applyDefaultsAndOverwrites
 * does the same), and the node runs with what that leaves, against the sandbox over HTTP.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { NodeHelpers, type ICredentialDataDecryptedObject, type IDataObject, type INode, type INodeParameters } from 'n8n-workflow';

import { WeChatOfficialAccountApi } from '../../credentials/WeChatOfficialAccountApi.credentials';
import { WeChatOfficialAccount } from '../../nodes/WeChatOfficialAccount/WeChatOfficialAccount.node';
import { WeChatOfficialAccountTriggerV1 } from '../../nodes/WeChatOfficialAccountTrigger/WeChatOfficialAccountTrigger.node';
import { authModeOf, type WeChatCredential } from '../../nodes/wechat/tokenSources';
import { createExecuteFunctions } from '../helpers/executeFunctions';
import { WeChatSandbox } from '../sandbox';
import { publishedArticle, publishedDeletedFlags, uploadCover } from './action-harness';

const FIXTURES = path.join(__dirname, '../fixtures/previous-release');

interface SavedWorkflow {
	nodes: INode[];
}

function readFixture<T>(file: string): T {
	return JSON.parse(readFileSync(path.join(FIXTURES, file), 'utf8')) as T;
}

const savedDelete = (): INode => readFixture<SavedWorkflow>('delete-article.workflow.json').nodes[1];

/** The saved credential with the sandbox's account in place of its placeholders. */
function savedCredential(sandbox: WeChatSandbox): ICredentialDataDecryptedObject {
	const { data } = readFixture<{ data: IDataObject }>('credential.json');
	const { appId, appSecret, token, encodingAesKey } = sandbox.config;
	return { ...data, appId, appSecret, baseUrl: sandbox.url, token, encodingAesKey };
}

const action = new WeChatOfficialAccount();

/** The parameters n8n hands a node of this version, from what was saved. */
function loadedParameters(saved: INodeParameters, typeVersion: number): INodeParameters {
	return NodeHelpers.getNodeParameters(action.description.properties, saved, true, false, { typeVersion }, action.description) ?? {};
}

/** The credential fields n8n hands a node, from what was saved. */
function loadedCredential(saved: ICredentialDataDecryptedObject): ICredentialDataDecryptedObject {
	const properties = new WeChatOfficialAccountApi().properties;
	return NodeHelpers.getNodeParameters(properties, saved as INodeParameters, true, false, null, null) as ICredentialDataDecryptedObject;
}

let sandbox: WeChatSandbox;
let cover: string;

beforeAll(async () => {
	sandbox = await WeChatSandbox.start({ publish: { status: 0, delayMs: 20 } });
	cover = await uploadCover(sandbox);
});

afterAll(async () => {
	await sandbox.close();
});

describe('the action node saved as version 1: Publish → Delete with its Article Index', () => {
	it('keeps the saved index and none of version 2\'s choices; version 2 would read other parameters', () => {
		const saved = savedDelete();
		expect(saved.typeVersion).toBe(1);
		expect(loadedParameters(saved.parameters, 1)).toEqual({ resource: 'publish', operation: 'delete', articleId: 'ARTICLE_ID', index: 3 });
		// Without a version of its own the saved index would be dropped and article 1 deleted.
		expect(loadedParameters(saved.parameters, 2)).toEqual({
			resource: 'publish',
			operation: 'delete',
			articleId: 'ARTICLE_ID',
			deleteScope: 'one',
			articleNumber: 1,
		});
	});

	it('n8n adds the default index 0 (every article) when the saved workflow omits it, as that release meant', () => {
		const saved = { ...savedDelete().parameters };
		delete saved.index;
		expect(loadedParameters(saved, 1)).toMatchObject({ index: 0 });
	});

	it('deletes exactly article 3 of the publication, with the saved credential\'s classic token', async () => {
		const articleId = await publishedArticle(sandbox, cover, ['One', 'Two', 'Three', 'Four']);
		const saved = savedDelete();
		sandbox.resetCounts();
		const functions = createExecuteFunctions({
			node: { typeVersion: saved.typeVersion },
			parameters: { ...loadedParameters(saved.parameters, saved.typeVersion), articleId },
			credentials: { weChatOfficialAccountApi: loadedCredential(savedCredential(sandbox)) },
		});
		const [[deleted]] = await action.execute.call(functions);
		expect(deleted.json).toEqual({ success: true, article_id: articleId, index: 3 });
		expect(sandbox.count('/cgi-bin/freepublish/delete')).toBe(1);
		expect({ classic: sandbox.count('/cgi-bin/token'), stable: sandbox.count('/cgi-bin/stable_token') }).toEqual({ classic: 1, stable: 0 });
		expect(await publishedDeletedFlags(sandbox, articleId)).toEqual([false, false, true, false]);
	});
});

describe('the credential saved with tokenMode (Auth Mode\'s earlier name)', () => {
	it('reaches the node: n8n keeps the hidden tokenMode and fills Auth Mode with its default', () => {
		expect(loadedCredential(savedCredential(sandbox))).toMatchObject({ authMode: 'stable', tokenMode: 'classic' });
	});

	it.each([
		['tokenMode classic, no authMode', 'classic', { tokenMode: 'classic' }],
		['tokenMode classic, authMode at its default', 'classic', { tokenMode: 'classic', authMode: 'stable' }],
		['tokenMode stable', 'stable', { tokenMode: 'stable' }],
		['tokenMode classic, authMode tokenService chosen since', 'tokenService', { tokenMode: 'classic', authMode: 'tokenService' }],
		['a credential of this release', 'classic', { authMode: 'classic' }],
		['neither', 'stable', {}],
	] as const)('%s → %s', (_label, mode, fields) => {
		expect(authModeOf({ appId: 'wx', ...fields } as WeChatCredential)).toBe(mode);
	});
});

describe('the trigger saved by the previous release', () => {
	it.each([1, 2])('version %p loads its saved options unchanged', (typeVersion) => {
		const trigger = new WeChatOfficialAccountTriggerV1();
		const saved = { options: { emitOtherEvents: true, maxTimestampAge: 120 } };
		const loaded = NodeHelpers.getNodeParameters(trigger.description.properties, saved, true, false, { typeVersion }, trigger.description);
		expect(loaded).toEqual({ setupNotice: '', n8n1AcknowledgementNotice: '', options: { emitOtherEvents: true, maxTimestampAge: 120 } });
	});
});
