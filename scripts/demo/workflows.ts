/**
 * The demo's copies of the examples: each gets a note saying which of its "Before the first run"
 * steps the demo has done, and one copy of the publish example has a draft the sandbox rejects,
 * so the failure notification can be seen too.
 */
import type { WorkflowJson } from '../../test/e2e/harness/n8n';
import type { WeChatSandbox } from '../../test/sandbox';

/** The sandbox answers `freepublish/submit` with 53503 for a draft whose first title holds this. */
export const SANDBOX_REJECTS_MARK = '[fail-check]';

const NOTE_WIDTH = 620;
const NOTE_HEIGHT = 200;

/** The workflow with a yellow sticky note above its top-left node. */
export function withDemoNote(workflow: WorkflowJson, lines: string[]): WorkflowJson {
	const positions = workflow.nodes.map((node) => node.position as [number, number]);
	const left = Math.min(...positions.map(([x]) => x));
	const top = Math.min(...positions.map(([, y]) => y));
	const note = {
		parameters: { content: ['## In this demo', ...lines].join('\n'), height: NOTE_HEIGHT, width: NOTE_WIDTH },
		id: `${workflow.id}-demo-note`,
		name: 'In This Demo',
		type: 'n8n-nodes-base.stickyNote',
		typeVersion: 1,
		position: [left, top - NOTE_HEIGHT - 40],
	};
	return { ...workflow, nodes: [note, ...workflow.nodes] };
}

/** The note for a workflow whose setup steps the demo has done. */
export function demoSetupNote(credentialName: string): string[] {
	return [
		`The demo has done the **Before the first run** steps below: every WeChat node uses the credential "${credentialName}" (the local WeChat sandbox), the image URLs point at the demo's local image server (with Allow Private Network on in *Create Draft*, which only a server on this machine needs), and the Slack URLs point at the demo's Slack stand-in, which prints each message in the terminal.`,
		'',
		'Press **Execute workflow**. Results: the output of each node (click it), the **Executions** tab of each workflow, and the terminal.',
	];
}

/**
 * The publish example with the draft's title marked so the sandbox refuses to publish it
 * (errcode 53503, as WeChat answers a draft that fails its pre-publish check): Publish Draft's
 * error output then posts the failure. Throws when the example no longer has a title to mark.
 */
export function withDraftRejected(workflow: WorkflowJson, id: string, name: string): WorkflowJson {
	const copy = JSON.parse(JSON.stringify(workflow)) as WorkflowJson;
	const draftNode = copy.nodes.find((node) => (node.parameters as Record<string, unknown>).operation === 'create');
	let marked = 0;
	const mark = (value: unknown): void => {
		if (Array.isArray(value)) value.forEach(mark);
		else if (value && typeof value === 'object') {
			const record = value as Record<string, unknown>;
			if (typeof record.title === 'string') {
				record.title = `${SANDBOX_REJECTS_MARK} ${record.title}`;
				marked++;
			}
			Object.values(record).forEach(mark);
		}
	};
	mark(draftNode?.parameters);
	if (marked === 0) throw new Error(`${workflow.name}: no article title in its Create Draft node to mark`);
	// On its canvas, below every node, why this copy fails: a reader would otherwise hunt for a bug.
	const positions = copy.nodes.map((node) => node.position as [number, number]);
	const why = {
		parameters: {
			content: [
				'## Why this copy fails',
				`The draft's title starts with \`${SANDBOX_REJECTS_MARK}\`, so the sandbox answers *Publish Draft* with errcode 53503, as WeChat does for a draft that fails its check before publishing. *Publish Draft* then sends the failure down its error output, and *Post Failure* posts it to the Slack stand-in (see the terminal). Nothing is published; the draft stays in the sandbox's 草稿箱.`,
			].join('\n'),
			height: 180,
			width: NOTE_WIDTH,
			color: 3,
		},
		id: `${id}-why-it-fails`,
		name: 'Why This Copy Fails',
		type: 'n8n-nodes-base.stickyNote',
		typeVersion: 1,
		position: [Math.min(...positions.map(([x]) => x)), Math.max(...positions.map(([, y]) => y)) + 160],
	};
	return { ...copy, id, name, nodes: [...copy.nodes, why] };
}

/** The mass send the demo's sandbox starts with, so the statistics and comment examples have something to show. */
export const DEMO_MASS_SEND = '2247480001';

/**
 * Gives the sandbox a mass send (群发) of two articles three days ago, with reader comments on
 * the first, for the weekly report and the comment inbox. Returns the comments' IDs.
 */
export function seedEngagement(sandbox: WeChatSandbox): string[] {
	const daysAgo = (days: number) => new Date(Date.now() + 8 * 3_600_000 - days * 86_400_000).toISOString().slice(0, 10);
	sandbox.engagement.control('/sandbox/engagement/publication', {
		msg_data_id: DEMO_MASS_SEND,
		publish_type: 0,
		published_on: daysAgo(3),
		titles: ['本周新品上市', '读者问答'],
	});
	const added = sandbox.engagement.control('/sandbox/engagement/comments', {
		msg_data_id: DEMO_MASS_SEND,
		articleNumber: 1,
		comments: [{ content: '期待已久，什么时候可以预订？' }, { content: '排版很舒服，已转发给同事' }, { content: '第二张图的型号是哪一款？' }],
	}) as { user_comment_ids: string[] };
	return added.user_comment_ids;
}

/** The mass-send example's Webhook path: where an article is POSTed to start it. */
export const MASS_SEND_PATH = 'wechat-mass-send';

/** The note for the mass-send example, active in the demo. */
export function massSendDemoNote(): string[] {
	return [
		'The demo has done the **Before the first run** steps below: the WeChat nodes and the trigger use the local WeChat sandbox, the Slack URLs point at the demo\'s Slack stand-in (the terminal), the cover is on the demo\'s image server, and the sandbox pushes mass-send results to *WeChat Trigger* (safe mode). The workflow is active.',
		'',
		`Start it by POSTing \`{"title": "…", "markdown": "…"}\` to *Article Arrives*'s Production URL (the terminal prints a curl line), then open the **Approve** link of *Ask for Approval*'s message in the terminal. The sandbox account is a subscription account: one mass send a day (45028 after that, on *Post Failure*).`,
	];
}
