import { WeChatSandbox } from '../sandbox';
import { Catcher } from './harness/catcher';
import { sandboxCredential } from './harness/examples';
import { N8nInstance, nodeOutputs, type WorkflowJson } from './harness/n8n';
import { n8nLine } from './harness/runtime';
import { httpPostNode, manualTriggerNode, workflow } from './harness/workflow-builders';

// "On Error → Continue (using error output)" in a real n8n, on both release lines (the 1.x stage
// runs this file with WECHAT_N8N_LINE=1): n8n 1.x moves an item to the Error output only when its
// JSON is exactly { error } or { error, message } (n8n-core 1.122's handleNodeErrorOutput), n8n 2
// when it holds nothing but error, message and details. The action node puts every field inside
// `error`, so a refusal reaches the Error output on both, read the same way.

const CREDENTIAL = { id: 'e2eErrorOutCred1', name: 'WeChat (sandbox)' };

/** What the Post nodes send: the item's error, errcode and draft count. */
const REPORT_BODY =
	'={{ JSON.stringify({ message: $json.error?.message ?? null, errcode: $json.error?.errcode ?? null, outcomeUnknown: $json.error?.outcomeUnknown ?? null, total: $json.total_count ?? null }) }}';

function wechat(name: string, parameters: Record<string, unknown>, x: number): Record<string, unknown> {
	return {
		id: name,
		name,
		type: 'CUSTOM.weChatOfficialAccount',
		typeVersion: 1,
		position: [x, 0],
		onError: 'continueErrorOutput',
		parameters,
		credentials: { weChatOfficialAccountApi: CREDENTIAL },
	};
}

function errorOutputWorkflow(catcherUrl: string): WorkflowJson {
	return workflow({
		id: 'e2eErrorOutput01',
		name: 'Error output: a refused submit',
		nodes: [
			manualTriggerNode(),
			wechat('Count Drafts', { resource: 'draft', operation: 'count' }, 200),
			wechat(
				'Submit Unknown Draft',
				{ resource: 'publish', operation: 'submit', mediaId: { __rl: true, mode: 'id', value: 'no-such-draft' }, options: {} },
				400,
			),
			httpPostNode('Post Success', `${catcherUrl}/success`, REPORT_BODY, 600),
			httpPostNode('Post Error', `${catcherUrl}/error`, REPORT_BODY, 600),
		],
		connections: {
			Start: { main: [[{ node: 'Count Drafts', type: 'main', index: 0 }]] },
			'Count Drafts': { main: [[{ node: 'Submit Unknown Draft', type: 'main', index: 0 }], []] },
			'Submit Unknown Draft': {
				main: [
					[{ node: 'Post Success', type: 'main', index: 0 }],
					[{ node: 'Post Error', type: 'main', index: 0 }],
				],
			},
		},
	});
}

/** A Submit with n8n's Retry On Fail on (node settings), which would send it again after an error. */
function retryOnFailWorkflow(): WorkflowJson {
	const submit = {
		...wechat(
			'Submit With Retry',
			{ resource: 'publish', operation: 'submit', mediaId: { __rl: true, mode: 'id', value: 'no-such-draft' }, options: {} },
			200,
		),
		retryOnFail: true,
		maxTries: 3,
		waitBetweenTries: 0,
	};
	delete (submit as { onError?: string }).onError;
	return workflow({
		id: 'e2eRetryOnFail01',
		name: 'Retry On Fail on a write',
		nodes: [manualTriggerNode(), submit],
		connections: { Start: { main: [[{ node: 'Submit With Retry', type: 'main', index: 0 }]] } },
	});
}

describe('the action node under "Continue (using error output)" in a real n8n', () => {
	let sandbox: WeChatSandbox;
	let catcher: Catcher;
	let n8n: N8nInstance;

	beforeAll(async () => {
		sandbox = await WeChatSandbox.start();
		catcher = await Catcher.start();
		n8n = await N8nInstance.start({
			credentials: [sandboxCredential(sandbox, CREDENTIAL)],
			workflows: [errorOutputWorkflow(catcher.url), retryOnFailWorkflow()],
		});
	});

	afterAll(async () => {
		await n8n?.stop();
		await catcher?.close();
		await sandbox?.close();
	});

	it(`sends a successful item to Success and a WeChat refusal to Error, with its errcode (n8n ${n8nLine()}.x)`, async () => {
		const result = await n8n.execute('e2eErrorOutput01');
		expect(result.exitCode).toBe(0);
		const run = result.run;
		if (!run) throw new Error(`no run parsed from n8n execute:\n${result.output.slice(-2000)}`);

		const [countSuccess, countError] = nodeOutputs(run.data, 'Count Drafts');
		expect(countSuccess).toEqual([{ total_count: 0 }]);
		expect(countError ?? []).toEqual([]);

		const [submitSuccess, submitError] = nodeOutputs(run.data, 'Submit Unknown Draft');
		expect(submitSuccess).toEqual([]);
		// n8n merges the input item's fields into an error-output item, on both lines.
		expect(submitError).toEqual([
			{ total_count: 0, error: { message: expect.stringContaining('WeChat error 40007'), errcode: 40007, outcomeUnknown: false } },
		]);

		const reported = { message: expect.stringContaining('WeChat error 40007'), errcode: 40007, outcomeUnknown: false, total: 0 };
		expect(catcher.requests.map((request) => [request.path, request.body])).toEqual([['/error', reported]]);
		expect(sandbox.count('/cgi-bin/freepublish/submit')).toBe(1);
	});

	it('a Submit with Retry On Fail on sends nothing and fails with the reason, however often n8n retries', async () => {
		sandbox.resetCounts();
		const result = await n8n.execute('e2eRetryOnFail01');
		expect(result.exitCode).not.toBe(0);
		expect(result.output).toContain(
			'Publish → Submit writes to WeChat, and this node has Retry On Fail on: n8n would run the whole node again after an error and send the write again',
		);
		expect(sandbox.count('/cgi-bin/freepublish/submit')).toBe(0);
		expect(sandbox.stats.submits).toBe(0);
	});
});
