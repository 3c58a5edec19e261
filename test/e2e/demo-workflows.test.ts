import { demoSetupNote, withDemoNote, withDraftRejected } from '../../scripts/demo/workflows';
import { ImageServer, WeChatSandbox } from '../sandbox';
import { Catcher } from './harness/catcher';
import { loadExample, sandboxCredential } from './harness/examples';
import { N8nInstance, nodeOutputs } from './harness/n8n';

/**
 * The demo's extra workflows, run in a real n8n against the sandbox as the demo imports them:
 * the publish example with a draft the sandbox rejects posts the failure (errcode 53503) from
 * Publish Draft's error output, and the draft-for-review example creates a draft, publishes
 * nothing and posts that the draft is ready.
 */

const CREDENTIAL = { id: 'e2eDemoWfCred001', name: 'WeChat (sandbox)' };
const REJECTED_ID = 'e2eDemoRejected1';
const DRAFT_FAILS_ID = 'e2eDemoDraftFail';

describe("the demo's failure-path and draft-only workflows", () => {
	let sandbox: WeChatSandbox;
	let catcher: Catcher;
	let n8n: N8nInstance;
	let images: ImageServer;
	let draftId: string;

	beforeAll(async () => {
		sandbox = await WeChatSandbox.start({ publish: { status: 0, delayMs: 100 } });
		catcher = await Catcher.start();
		images = await ImageServer.start();
		const values = { credential: CREDENTIAL, imageServerUrl: images.url };
		const note = demoSetupNote(CREDENTIAL.name);
		const rejected = withDemoNote(
			withDraftRejected(loadExample('publish', { ...values, slackUrl: `${catcher.url}/slack/rejected` }), REJECTED_ID, 'Rejected'),
			note,
		);
		const draft = withDemoNote(loadExample('draft', { ...values, slackUrl: `${catcher.url}/slack/draft` }), note);
		draftId = draft.id;
		// The same example with a cover that answers 404: Create Draft fails before anything reaches WeChat.
		const failing = loadExample('draft', { ...values, slackUrl: `${catcher.url}/slack/draft-failed` });
		const createNode = failing.nodes.find((node) => node.name === 'Create Draft') as { parameters: { articles: { article: Array<Record<string, unknown>> } } };
		createNode.parameters.articles.article[0].coverImage = `${images.url}/missing.png`;
		n8n = await N8nInstance.start({
			credentials: [sandboxCredential(sandbox, CREDENTIAL)],
			workflows: [rejected, draft, { ...failing, id: DRAFT_FAILS_ID, name: 'Draft fails' }],
		});
	});

	afterAll(async () => {
		await n8n?.stop();
		await catcher?.close();
		await sandbox?.close();
		await images?.close();
	});

	it('posts the 53503 failure by the article\'s title when the sandbox rejects the draft, and publishes nothing', async () => {
		const result = await n8n.execute(REJECTED_ID);
		expect(result.exitCode).toBe(0);
		const message = await catcher.waitFor((request) => request.path === '/slack/rejected');
		const text = (message.body as { text: string }).text;
		// The article's title first, then the meaning and what to do, where; errcode and rid last, once.
		expect(text).toMatch(
			/^WeChat did not publish “\[fail-check\] Hello from n8n”: The draft failed the pre-publish check \(the draft did not pass the publication check\)\. Fix the draft .* and submit again\. The draft stays in 草稿箱 \(Drafts\) on mp\.weixin\.qq\.com\. \(errcode 53503, rid [\w-]+\)$/,
		);
		expect(text.split('53503')).toHaveLength(2);
		expect(sandbox.count('/cgi-bin/freepublish/submit')).toBe(1);
		expect(sandbox.snapshot().jobs).toEqual([]);
	});

	it('posts a failed draft by its title first, then what happened and what to do', async () => {
		const result = await n8n.execute(DRAFT_FAILS_ID);
		expect(result.exitCode).toBe(0);
		const message = await catcher.waitFor((request) => request.path === '/slack/draft-failed');
		expect((message.body as { text: string }).text).toMatch(
			/^WeChat draft “Draft from n8n, for review” was not created: .*404.* Change it in the Create Draft node \(or on mp\.weixin\.qq\.com where the message says\), then run the workflow again\.$/,
		);
	});

	it('creates a draft, publishes nothing and posts that it is ready for review', async () => {
		const submitsBefore = sandbox.count('/cgi-bin/freepublish/submit');
		const result = await n8n.execute(draftId);
		expect(result.exitCode).toBe(0);
		const [created] = nodeOutputs(result.run!.data, 'Create Draft')[0];
		const message = await catcher.waitFor((request) => request.path === '/slack/draft');
		// The title, which 草稿箱 lists; not the media_id, which it does not show.
		expect((message.body as { text: string }).text).toBe(
			'WeChat draft “Draft from n8n, for review” is ready for review: on mp.weixin.qq.com open 内容与互动 → 草稿箱 (Drafts) and find it by its title.',
		);
		expect((message.body as { text: string }).text).not.toContain(String(created.media_id));
		const stored = await fetch(`${sandbox.url}/cgi-bin/draft/get?access_token=${await sandboxToken(sandbox)}`, {
			method: 'POST',
			body: JSON.stringify({ media_id: created.media_id }),
		});
		expect(((await stored.json()) as { news_item: Array<{ title: string }> }).news_item.map(({ title }) => title)).toEqual([
			'Draft from n8n, for review',
		]);
		expect(sandbox.count('/cgi-bin/freepublish/submit')).toBe(submitsBefore);
	});
});

async function sandboxToken(sandbox: WeChatSandbox): Promise<string> {
	const { appId, appSecret } = sandbox.config;
	const answer = await fetch(`${sandbox.url}/cgi-bin/stable_token`, {
		method: 'POST',
		body: JSON.stringify({ grant_type: 'client_credential', appid: appId, secret: appSecret }),
	});
	return ((await answer.json()) as { access_token: string }).access_token;
}
