import { ImageServer, SandboxTokenService, TOKEN_SERVICE_HEADER, TOKEN_SERVICE_SECRET, WeChatSandbox } from '../sandbox';
import { Catcher } from './harness/catcher';
import { exampleNode, type ExampleValues } from './harness/examples';
import { N8nInstance, nodeOutputs, type CredentialJson, type WorkflowJson } from './harness/n8n';
import { publishExample, runWithSlack, slackText } from './harness/publish-runs';

/**
 * A credential in Auth Mode "Token Service" in a real n8n: the access token comes from a third-party
 * platform's token service (test/sandbox/tokenService.ts, which gets authorizer_access_token from
 * the sandbox's component endpoints with the verify ticket); no AppSecret anywhere. The example
 * "Create a draft and publish it, notify on failure" runs with `n8n execute` (a new process, so a
 * new token cache, per run).
 */

const CREDENTIAL = { id: 'e2eTokenSvcCred1', name: 'WeChat (token service)' };
const WRONG_SECRET_CREDENTIAL = { id: 'e2eTokenSvcWrong', name: 'WeChat (token service, wrong key)' };
const WRONG_SECRET = 'not-the-token-service-key-0123456789';
const WORKFLOW = { publish: 'e2eTokenSvcPub01', batch: 'e2eTokenSvcBatch', wrongSecret: 'e2eTokenSvcWrong' } as const;
const SLACK_PATH = '/slack/token-service';
const BATCH = 6;
const WRITE_PATHS = ['/cgi-bin/material/add_material', '/cgi-bin/draft/add', '/cgi-bin/freepublish/submit'];

function serviceCredential(ref: { id: string; name: string }, service: SandboxTokenService, sandbox: WeChatSandbox, headerValue: string): CredentialJson {
	return {
		...ref,
		type: 'weChatOfficialAccountApi',
		data: {
			appId: sandbox.config.appId,
			baseUrl: sandbox.url,
			authMode: 'tokenService',
			serviceUrl: service.tokenUrl,
			serviceHeaderName: TOKEN_SERVICE_HEADER,
			serviceHeaderValue: headerValue,
			serviceResponseField: 'authorizer_access_token',
		},
	};
}

/** The example with BATCH articles: a Code node makes BATCH items, each a draft (the same images and cover) and a publish. */
function batchExample(values: ExampleValues): WorkflowJson {
	const workflow = publishExample(values);
	workflow.nodes.push({
		id: 'batch',
		name: 'Make Batch',
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: [560, 500],
		parameters: {
			jsCode: `return Array.from({ length: ${BATCH} }, (_, i) => ({ json: { title: 'Batch article ' + (i + 1) } }));`,
		},
	});
	const connections = workflow.connections as Record<string, { main: unknown[][] }>;
	connections.Start = { main: [[{ node: 'Make Batch', type: 'main', index: 0 }]] };
	connections['Make Batch'] = { main: [[{ node: 'Create Draft', type: 'main', index: 0 }]] };
	const article = (exampleNode(workflow, 'Create Draft').parameters.articles as { article: Array<Record<string, unknown>> }).article[0];
	article.title = '={{ $json.title }}';
	return workflow;
}

describe('Auth Mode "Token Service" in a real n8n', () => {
	let sandbox: WeChatSandbox;
	let service: SandboxTokenService;
	let catcher: Catcher;
	let n8n: N8nInstance;
	let images: ImageServer;

	beforeAll(async () => {
		sandbox = await WeChatSandbox.start({ publish: { status: 0, delayMs: 300 } });
		service = await SandboxTokenService.forSandbox(sandbox);
		catcher = await Catcher.start();
		images = await ImageServer.start();
		const values = { slackUrl: `${catcher.url}${SLACK_PATH}`, imageServerUrl: images.url };
		n8n = await N8nInstance.start({
			credentials: [
				serviceCredential(CREDENTIAL, service, sandbox, TOKEN_SERVICE_SECRET),
				serviceCredential(WRONG_SECRET_CREDENTIAL, service, sandbox, WRONG_SECRET),
			],
			workflows: [
				publishExample({ ...values, credential: CREDENTIAL, id: WORKFLOW.publish }),
				batchExample({ ...values, credential: CREDENTIAL, id: WORKFLOW.batch, name: 'Publish a batch' }),
				publishExample({ ...values, credential: WRONG_SECRET_CREDENTIAL, id: WORKFLOW.wrongSecret, name: 'Publish (wrong key)' }),
			],
		});
	});

	beforeEach(() => {
		sandbox.resetCounts();
	});

	afterAll(async () => {
		await n8n?.stop();
		await catcher?.close();
		await service?.close();
		await sandbox?.close();
		await images?.close();
	});

	const run = async (workflowId: string) => await runWithSlack(n8n, catcher, workflowId, SLACK_PATH);

	it('cover → draft → publish with the service\'s authorizer token, no AppSecret', async () => {
		const requestsBefore = service.stats.requests;
		const { run: result, slack } = await run(WORKFLOW.publish);
		expect(result.status).toBe('success');
		expect(slack.map(slackText)).toEqual([expect.stringMatching(/^Published on WeChat: /)]);
		expect(nodeOutputs(result.data, 'Publish Draft')[0]).toEqual([expect.objectContaining({ status: 'published' })]);
		// One token from the service for the whole run; WeChat's own token endpoints never asked.
		expect(service.stats.requests - requestsBefore).toBe(1);
		expect(sandbox.count('/cgi-bin/stable_token') + sandbox.count('/cgi-bin/token')).toBe(0);
		expect(WRITE_PATHS.map((path) => sandbox.count(path))).toEqual([1, 1, 1]);
	});

	it('a token expiring mid-batch: one forced fetch from the service, every item done once', async () => {
		const before = { ...service.stats };
		const submitsBefore = sandbox.stats.submits;
		// The first item's three uploads (two content images, the cover: each once per run), its draft
		// and the draft's check go through; then the token expires under the second draft/add.
		sandbox.expireTokensAfter(5);
		const { run: result, slack } = await run(WORKFLOW.batch);
		expect(result.status).toBe('success');
		const published = nodeOutputs(result.data, 'Publish Draft')[0];
		expect(published).toHaveLength(BATCH);
		expect(new Set(published.map((item) => item.publish_id)).size).toBe(BATCH);
		expect(published.every((item) => item.status === 'published')).toBe(true);
		expect(slack).toHaveLength(BATCH);
		expect(sandbox.stats.submits - submitsBefore).toBe(BATCH);
		// The refused draft/add was resent once with the fresh token: one request more than drafts made.
		expect(sandbox.count('/cgi-bin/freepublish/submit')).toBe(BATCH);
		expect(sandbox.count('/cgi-bin/draft/add')).toBe(BATCH + 1);
		expect(service.stats.requests - before.requests).toBe(2);
		expect(service.stats.forcedRefreshes - before.forcedRefreshes).toBe(1);
	});

	it("a wrong header secret: the service's answer in the error, nothing sent to WeChat", async () => {
		const { run: result, slack } = await run(WORKFLOW.wrongSecret);
		expect(result.status).toBe('success');
		expect(slack).toHaveLength(1);
		const text = slackText(slack[0]);
		// The first WeChat call of the run is the upload of the article's first image.
		expect(text).toMatch(/^WeChat did not publish “.+”: Image 1 of article 1 \(\S+\) could not be uploaded: The token service answered HTTP 401: .*missing or wrong X-Token-Service-Key header.*Nothing was sent to WeChat\./);
		expect(text).not.toContain(WRONG_SECRET);
		expect(text).not.toContain(service.tokenUrl);
		expect(nodeOutputs(result.data, 'Create Draft')[0]).toEqual([]);
		expect(sandbox.counts()).toEqual({});
	});

	it("n8n's credential test: passes with the service, explains a wrong key, never shows it", async () => {
		const test = async (ref: { id: string; name: string }, headerValue: string) =>
			(await n8n.rest('POST', '/credentials/test', {
				credentials: serviceCredential(ref, service, sandbox, headerValue),
			})) as { data: { status: string; message: string } };
		const requestsBefore = service.stats.requests;
		await expect(test(CREDENTIAL, TOKEN_SERVICE_SECRET)).resolves.toEqual({ data: { status: 'OK', message: expect.any(String) } });
		expect(service.stats.requests - requestsBefore).toBe(1);
		expect(sandbox.count('/cgi-bin/draft/count')).toBe(1);

		const refused = await test(WRONG_SECRET_CREDENTIAL, WRONG_SECRET);
		expect(refused.data.status).toBe('Error');
		expect(refused.data.message).toMatch(/token service answered HTTP 401: .*missing or wrong X-Token-Service-Key header/);
		expect(refused.data.message).not.toContain(WRONG_SECRET);
	});
});
