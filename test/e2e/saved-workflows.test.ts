import { readFileSync } from 'node:fs';
import path from 'node:path';

import { WeChatSandbox } from '../sandbox';
import { publishedArticle, publishedDeletedFlags, uploadCover } from '../unit/action-harness';
import { N8nInstance, nodeOutputs, type CredentialJson, type WorkflowJson } from './harness/n8n';
import { n8nLine, repoRoot } from './harness/runtime';

/**
 * A workflow and a credential saved by the previous release (test/fixtures/previous-release),
 * imported into a real n8n as they were saved: the action node as version 1 with Publish →
 * Delete's `index: 3`, the credential with `tokenMode: classic` and no `authMode`. n8n loads them
 * through the current descriptions; the run must delete exactly article 3, with a classic token.
 * Part of the n8n 1.x stage too.
 */

const FIXTURES = path.join(repoRoot, 'test/fixtures/previous-release');
const WORKFLOW_ID = 'e2eSavedDelete01';

function readFixture<T>(file: string): T {
	return JSON.parse(readFileSync(path.join(FIXTURES, file), 'utf8')) as T;
}

/** The saved workflow, our node under the CUSTOM prefix (N8N_CUSTOM_EXTENSIONS), deleting from this publication. */
function savedWorkflow(articleId: string): WorkflowJson {
	const saved = readFixture<WorkflowJson>('delete-article.workflow.json');
	const nodes = saved.nodes.map((node) =>
		String(node.type).startsWith('n8n-nodes-wechat-publish.')
			? { ...node, type: `CUSTOM.${String(node.type).split('.')[1]}`, parameters: { ...(node.parameters as object), articleId } }
			: node,
	);
	return { ...saved, id: WORKFLOW_ID, nodes };
}

function savedCredential(sandbox: WeChatSandbox): CredentialJson {
	const saved = readFixture<CredentialJson>('credential.json');
	const { appId, appSecret, token, encodingAesKey } = sandbox.config;
	return { ...saved, data: { ...saved.data, appId, appSecret, baseUrl: sandbox.url, token, encodingAesKey } };
}

describe('a workflow and credential saved by the previous release, in a real n8n', () => {
	let sandbox: WeChatSandbox;
	let n8n: N8nInstance;
	let articleId: string;

	beforeAll(async () => {
		sandbox = await WeChatSandbox.start({ publish: { status: 0, delayMs: 20 } });
		articleId = await publishedArticle(sandbox, await uploadCover(sandbox), ['One', 'Two', 'Three', 'Four']);
		n8n = await N8nInstance.start({ credentials: [savedCredential(sandbox)], workflows: [savedWorkflow(articleId)] });
	});

	afterAll(async () => {
		await n8n?.stop();
		await sandbox?.close();
	});

	it(`Publish → Delete saved with index 3 deletes article 3 only, with the saved classic token (n8n ${n8nLine()}.x)`, async () => {
		sandbox.resetCounts();
		const result = await n8n.execute(WORKFLOW_ID);
		if (result.exitCode !== 0 || result.run?.status !== 'success') {
			throw new Error(`n8n execute: exit ${result.exitCode}\n${result.output.slice(-3000)}`);
		}
		expect(nodeOutputs(result.run.data, 'Delete Article')[0]).toEqual([{ success: true, article_id: articleId, index: 3 }]);
		expect(sandbox.count('/cgi-bin/freepublish/delete')).toBe(1);
		expect({ classic: sandbox.count('/cgi-bin/token'), stable: sandbox.count('/cgi-bin/stable_token') }).toEqual({ classic: 1, stable: 0 });
		expect(await publishedDeletedFlags(sandbox, articleId)).toEqual([false, false, true, false]);
	});
});
