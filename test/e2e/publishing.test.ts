import { FAIL_CHECK_MARK, WeChatSandbox } from '../sandbox';
import { Catcher } from './harness/catcher';
import { coverFolder, exampleNode, sandboxCredential } from './harness/examples';
import { N8nInstance, nodeOutputs, type WorkflowJson } from './harness/n8n';
import { publishExample, runWithSlack, slackText } from './harness/publish-runs';

/**
 * Scenario 1: the example "Create a draft and publish it, notify on failure" run by a real n8n
 * (`n8n execute`) against the sandbox. Read Cover Image reads a fixture file through n8n's file
 * access rules; the Slack notifications land in the catcher.
 */

const CREDENTIAL = { id: 'e2ePublishCred01', name: 'WeChat (sandbox)' };
const WORKFLOW = { single: 'e2ePublishOne001', failCheck: 'e2ePublishFail01', twoArticles: 'e2ePublishTwo001' } as const;
const SLACK_PATH = '/slack/publishing';
const PUBLISHED_TEXT = /^Published on WeChat: (\S+) \(publish_id (\d+)\)$/;

/** An item on a WeChat node's error output: our `error` and `details`, merged by n8n into the input item. */
function errorItem(errcode: number): unknown {
	return expect.objectContaining({
		error: expect.stringMatching(new RegExp(`^WeChat error ${errcode}: `)),
		details: expect.objectContaining({ errcode }),
	});
}

function articles(workflow: WorkflowJson): Array<Record<string, unknown>> {
	return (exampleNode(workflow, 'Create Draft').parameters.articles as { article: Array<Record<string, unknown>> }).article;
}

describe('example "Create a draft and publish it, notify on failure" in a real n8n', () => {
	let sandbox: WeChatSandbox;
	let catcher: Catcher;
	let n8n: N8nInstance;
	let files: ReturnType<typeof coverFolder>;

	beforeAll(async () => {
		sandbox = await WeChatSandbox.start({ publish: { status: 0, delayMs: 300 } });
		catcher = await Catcher.start();
		files = coverFolder();
		const values = { credential: CREDENTIAL, slackUrl: `${catcher.url}${SLACK_PATH}`, coverPath: files.coverPath };

		const single = publishExample({ ...values, id: WORKFLOW.single });
		const failCheck = publishExample({ ...values, id: WORKFLOW.failCheck, name: 'Publish (draft fails the check)' });
		articles(failCheck)[0].title = `${FAIL_CHECK_MARK} Hello from n8n`;
		const twoArticles = publishExample({ ...values, id: WORKFLOW.twoArticles, name: 'Publish (two articles)' });
		articles(twoArticles).push({ ...articles(twoArticles)[0], title: 'The second article' });

		n8n = await N8nInstance.start({
			credentials: [sandboxCredential(sandbox, CREDENTIAL)],
			workflows: [single, failCheck, twoArticles],
			env: { N8N_RESTRICT_FILE_ACCESS_TO: files.dir },
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
		files?.remove();
	});

	const run = async (workflowId: string) => await runWithSlack(n8n, catcher, workflowId, SLACK_PATH);

	it('uploads the cover read from disk, publishes, and posts the article URL the sandbox serves', async () => {
		const { run: result, slack } = await run(WORKFLOW.single);
		expect(result.status).toBe('success');
		expect(slack).toHaveLength(1);
		expect(slack[0].method).toBe('POST');
		const [, articleUrl, publishId] = PUBLISHED_TEXT.exec(slackText(slack[0])) ?? [];
		expect(articleUrl).toMatch(new RegExp(`^${sandbox.url}/s/`));

		const [published] = nodeOutputs(result.data, 'Publish Draft')[0];
		expect(published).toMatchObject({ publish_id: publishId, publish_status: 0, status: 'published' });
		const job = (sandbox.snapshot().jobs as Array<Record<string, unknown>>).find((entry) => entry.publish_id === publishId);
		expect(job).toMatchObject({ publish_status: 0, article_detail: { count: 1, item: [{ idx: 1, article_url: articleUrl }] } });
		const page = await fetch(articleUrl);
		expect(page.status).toBe(200);
		expect(await page.text()).toContain('Hello from n8n');

		// The cover went up as the PNG of the fixture, and the draft used it.
		const [uploaded] = nodeOutputs(result.data, 'Upload Cover')[0];
		expect(uploaded.media_id).toEqual(expect.any(String));
		expect(nodeOutputs(result.data, 'Create Draft')[0]).toHaveLength(1);
		expect(() => nodeOutputs(result.data, 'Post Failure')).toThrow('did not run');
	});

	it('posts the failure with errcode 48001 when the account may not publish', async () => {
		sandbox.configure({ canPublish: false });
		const { run: result, slack } = await run(WORKFLOW.single);
		expect(result.status).toBe('success');
		expect(slack).toHaveLength(1);
		expect(slackText(slack[0])).toMatch(/^WeChat publishing failed \(errcode 48001\): WeChat error 48001: API not authorised/);
		// The error output of Publish Draft, not its success output, carried it.
		expect(nodeOutputs(result.data, 'Publish Draft')).toEqual([[], [errorItem(48001)]]);
		expect(() => nodeOutputs(result.data, 'Published?')).toThrow('did not run');
		expect(() => nodeOutputs(result.data, 'Post Article Link')).toThrow('did not run');
	});

	it('posts the failure with errcode 53503 when the draft fails the check', async () => {
		const { run: result, slack } = await run(WORKFLOW.failCheck);
		expect(slack).toHaveLength(1);
		expect(slackText(slack[0])).toMatch(/^WeChat publishing failed \(errcode 53503\): WeChat error 53503: /);
		expect(nodeOutputs(result.data, 'Publish Draft')).toEqual([[], [errorItem(53503)]]);
	});

	it('posts the status and the failed articles when publishing ends with status 2', async () => {
		sandbox.configure({ publish: { status: 2, failIdx: [1, 2] } });
		const { run: result, slack } = await run(WORKFLOW.twoArticles);
		expect(slack).toHaveLength(1);
		const [finished] = nodeOutputs(result.data, 'Publish Draft')[0];
		expect(finished).toMatchObject({ publish_status: 2, status: 'originality_check_failed', fail_idx: [1, 2] });
		expect(slackText(slack[0])).toBe(
			`WeChat publishing failed: status originality_check_failed (publish_status 2), publish_id ${String(finished.publish_id)}, failed articles: 1, 2`,
		);
	});

	it('posts the failure when the cover upload fails, and creates no draft', async () => {
		sandbox.injectFault('/cgi-bin/material/add_material', { errcode: 40164, errmsg: 'invalid ip 203.0.113.7, not in whitelist' });
		const drafts = sandbox.count('/cgi-bin/draft/add');
		const { run: result, slack } = await run(WORKFLOW.single);
		expect(slack).toHaveLength(1);
		expect(slackText(slack[0])).toMatch(/^WeChat publishing failed \(errcode 40164\): WeChat error 40164: /);
		expect(nodeOutputs(result.data, 'Upload Cover')).toEqual([[], [errorItem(40164)]]);
		expect(sandbox.count('/cgi-bin/draft/add')).toBe(drafts);
	});
});
