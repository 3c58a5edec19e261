import { FAIL_CHECK_MARK, ImageServer, WeChatSandbox } from '../sandbox';
import { Catcher, type CaughtRequest } from './harness/catcher';
import { exampleNode, sandboxCredential } from './harness/examples';
import { N8nInstance, nodeOutputs, type CliRun, type WorkflowJson } from './harness/n8n';
import { publishExample, runWithSlack, slackText } from './harness/publish-runs';

/**
 * Scenario 1: the example "Create a draft and publish it, notify on failure" (Markdown) and its
 * HTML variant run by a real n8n (`n8n execute`) against the sandbox. Their placeholder image
 * URLs are served by the local image server; the Slack notifications land in the catcher.
 */

const CREDENTIAL = { id: 'e2ePublishCred01', name: 'WeChat (sandbox)' };
const WORKFLOW = { single: 'e2ePublishOne001', html: 'e2ePublishHtml01', failCheck: 'e2ePublishFail01', twoArticles: 'e2ePublishTwo001' } as const;
const SLACK_PATH = '/slack/publishing';
const PUBLISHED_TEXT = /^Published on WeChat: “Hello from n8n” (\S+) \(publish_id (\d+)\)$/;

/** An item on a WeChat node's error output: our `error`, merged by n8n into the input item. */
function errorItem(errcode: number): unknown {
	return expect.objectContaining({
		error: expect.objectContaining({ message: expect.stringMatching(new RegExp(`^WeChat error ${errcode}: `)), errcode }),
	});
}

function articles(workflow: WorkflowJson): Array<Record<string, unknown>> {
	return (exampleNode(workflow, 'Create Draft').parameters.articles as { article: Array<Record<string, unknown>> }).article;
}

describe('example "Create a draft and publish it, notify on failure" in a real n8n', () => {
	let sandbox: WeChatSandbox;
	let catcher: Catcher;
	let n8n: N8nInstance;
	let images: ImageServer;

	beforeAll(async () => {
		sandbox = await WeChatSandbox.start({ publish: { status: 0, delayMs: 300 } });
		catcher = await Catcher.start();
		images = await ImageServer.start();
		const values = { credential: CREDENTIAL, slackUrl: `${catcher.url}${SLACK_PATH}`, imageServerUrl: images.url };

		const single = publishExample({ ...values, id: WORKFLOW.single });
		const html = publishExample({ ...values, id: WORKFLOW.html }, 'publishHtml');
		const failCheck = publishExample({ ...values, id: WORKFLOW.failCheck, name: 'Publish (draft fails the check)' });
		articles(failCheck)[0].title = `${FAIL_CHECK_MARK} Hello from n8n`;
		const twoArticles = publishExample({ ...values, id: WORKFLOW.twoArticles, name: 'Publish (two articles)' });
		articles(twoArticles).push({ ...articles(twoArticles)[0], title: 'The second article' });

		n8n = await N8nInstance.start({
			credentials: [sandboxCredential(sandbox, CREDENTIAL)],
			workflows: [single, html, failCheck, twoArticles],
		});
		process.stderr.write(`e2e publishing: n8n start phases ${JSON.stringify(n8n.timings)}\n`);
	});

	afterEach(() => {
		sandbox.configure({ canPublish: true, publish: { status: 0, failIdx: undefined } });
		sandbox.clearFaults();
	});

	afterAll(async () => {
		await n8n?.stop();
		await catcher?.close();
		await sandbox?.close();
		await images?.close();
	});

	const run = async (workflowId: string) => await runWithSlack(n8n, catcher, workflowId, SLACK_PATH);

	/** The article page a run published, after checking the run posted its link and nothing failed. */
	async function publishedPage(result: NonNullable<CliRun['run']>, slack: CaughtRequest[]): Promise<string> {
		expect(result.status).toBe('success');
		expect(slack).toHaveLength(1);
		expect(slack[0].method).toBe('POST');
		const [, articleUrl, publishId] = PUBLISHED_TEXT.exec(slackText(slack[0])) ?? [];
		expect(articleUrl).toMatch(new RegExp(`^${sandbox.url}/s/`));
		const [published] = nodeOutputs(result.data, 'Publish Draft')[0];
		expect(published).toMatchObject({ publish_id: publishId, publish_status: 0, status: 'published' });
		const job = (sandbox.snapshot().jobs as Array<Record<string, unknown>>).find((entry) => entry.publish_id === publishId);
		expect(job).toMatchObject({ publish_status: 0, article_detail: { count: 1, item: [{ idx: 1, article_url: articleUrl }] } });
		expect(() => nodeOutputs(result.data, 'Post Failure')).toThrow('did not run');
		const page = await fetch(articleUrl);
		expect(page.status).toBe(200);
		return await page.text();
	}

	/** The draft uploaded both photos and the cover, and the page shows the photos from the sandbox's image host. */
	function expectImagesRehosted(result: NonNullable<CliRun['run']>, page: string): void {
		const [created] = nodeOutputs(result.data, 'Create Draft')[0];
		expect(created.warnings).toEqual([]);
		expect(created.thumb_media_id).toEqual(expect.any(String));
		const uploaded = created.images as Array<{ source: string; url: string }>;
		expect(uploaded.map((image) => image.source)).toEqual([`${images.url}/n/1.png`, `${images.url}/n/2.png`, `${images.url}/n/3.png`]);
		const sources = [...page.matchAll(/<img\b[^>]*\ssrc="([^"]*)"/g)].map((match) => match[1]);
		expect(sources).toEqual(uploaded.slice(0, 2).map((image) => image.url));
		for (const src of sources) expect(src.startsWith(`${sandbox.url}/mmbiz/`)).toBe(true);
	}

	it('renders the Markdown, uploads both photos and the cover, publishes, and posts the article URL the sandbox serves', async () => {
		const uploadsBefore = sandbox.count('/cgi-bin/media/uploadimg');
		const { run: result, slack } = await run(WORKFLOW.single);
		const page = await publishedPage(result, slack);
		expect(page).toContain('Hello from n8n');
		expect(page).toMatch(/<strong[^>]*>Markdown<\/strong>/);
		expectImagesRehosted(result, page);
		expect(sandbox.count('/cgi-bin/media/uploadimg') - uploadsBefore).toBe(2);
	});

	it('the HTML variant publishes the same way', async () => {
		const { run: result, slack } = await run(WORKFLOW.html);
		const page = await publishedPage(result, slack);
		expect(page).toMatch(/<strong[^>]*>HTML<\/strong>/);
		expectImagesRehosted(result, page);
	});

	it('posts the failure with errcode 48001 when the account may not publish', async () => {
		sandbox.configure({ canPublish: false });
		const { run: result, slack } = await run(WORKFLOW.single);
		expect(result.status).toBe('success');
		expect(slack).toHaveLength(1);
		expect(slackText(slack[0])).toMatch(
			/^WeChat did not publish “Hello from n8n”: API not authorised for this account \(api unauthorized\)\. .* The draft stays in 草稿箱 \(Drafts\) on mp\.weixin\.qq\.com\. \(errcode 48001, rid [\w-]+\)$/,
		);
		// The error output of Publish Draft, not its success output, carried it.
		expect(nodeOutputs(result.data, 'Publish Draft')).toEqual([[], [errorItem(48001)]]);
		expect(() => nodeOutputs(result.data, 'Published?')).toThrow('did not run');
		expect(() => nodeOutputs(result.data, 'Post Article Link')).toThrow('did not run');
	});

	it('posts the failure with errcode 53503 when the draft fails the check', async () => {
		const { run: result, slack } = await run(WORKFLOW.failCheck);
		expect(slack).toHaveLength(1);
		expect(slackText(slack[0])).toMatch(/^WeChat did not publish “\[fail-check\] Hello from n8n”: The draft failed the pre-publish check .* \(errcode 53503, rid [\w-]+\)$/);
		expect(nodeOutputs(result.data, 'Publish Draft')).toEqual([[], [errorItem(53503)]]);
	});

	it('posts the status and the failed articles when publishing ends with status 2', async () => {
		sandbox.configure({ publish: { status: 2, failIdx: [1, 2] } });
		const { run: result, slack } = await run(WORKFLOW.twoArticles);
		expect(slack).toHaveLength(1);
		const [finished] = nodeOutputs(result.data, 'Publish Draft')[0];
		expect(finished).toMatchObject({ publish_status: 2, status: 'originality_check_failed', fail_idx: [1, 2] });
		expect(slackText(slack[0])).toBe(
			`WeChat did not publish “Hello from n8n”, “The second article”: its check ended with status originality_check_failed. See why in 发表记录 (Publish records) on mp.weixin.qq.com, fix the draft and publish it again. (publish_status 2, publish_id ${String(finished.publish_id)})`,
		);
	});

	it('posts the failure when the cover upload fails, and creates no draft', async () => {
		sandbox.injectFault('/cgi-bin/material/add_material', { errcode: 40164, errmsg: 'invalid ip 203.0.113.7, not in whitelist' });
		const drafts = sandbox.count('/cgi-bin/draft/add');
		const { run: result, slack } = await run(WORKFLOW.single);
		expect(slack).toHaveLength(1);
		expect(slackText(slack[0])).toMatch(
			/^WeChat did not publish “Hello from n8n”: The cover image of article 1 \(.*\) could not be uploaded: .* No draft was created: change it in the Create Draft node, then run the workflow again\. \(errcode 40164, rid [\w-]+\)$/,
		);
		expect(nodeOutputs(result.data, 'Create Draft')).toEqual([
			[],
			[expect.objectContaining({ error: expect.objectContaining({ message: expect.stringMatching(/could not be uploaded: WeChat error 40164: /), errcode: 40164 }) })],
		]);
		expect(sandbox.count('/cgi-bin/draft/add')).toBe(drafts);
	});
});
