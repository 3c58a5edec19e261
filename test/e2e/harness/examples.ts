import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { computeSignature } from '../../../nodes/wechat/signature';
import type { WeChatSandbox } from '../../sandbox';
import type { CredentialJson, WorkflowJson } from './n8n';
import { repoRoot } from './runtime';

/**
 * The workflows of examples/, as the e2e tests and the demo import them. The files are what a
 * user imports: node types of the installed package, a credential and a Slack URL to replace,
 * public placeholder image URLs. `loadExample` fills those in for one n8n.
 */
export const EXAMPLES = {
	/** "Create a draft from Markdown and publish it, notify on failure" (Manual Trigger). */
	publish: 'publish-draft-notify-on-failure.json',
	/** The same from HTML. */
	publishHtml: 'publish-html-draft-notify-on-failure.json',
	/** "Route publish results: post published links, alert on failures" (the trigger). */
	route: 'route-publish-results.json',
	/** "Create a draft for review (nothing is published)" (Manual Trigger). */
	draft: 'create-draft-for-review.json',
	/** "AI agent drafts a WeChat article, a person approves it in Slack, then it is published" (Chat Trigger). */
	aiAgent: 'ai-agent-draft-approve-publish.json',
	/** "Mass-send an article after a reviewer approves it, post the result" (Webhook, Wait, trigger v3). */
	massSend: 'mass-send-after-approval.json',
	/** "Weekly report: article reads and shares to the team chat" (Schedule Trigger). */
	weeklyReport: 'weekly-statistics-report.json',
	/** "Comment inbox: new reader comments to a moderator" (Schedule Trigger, Remove Duplicates). */
	commentInbox: 'comment-inbox.json',
} as const;

export type ExampleName = keyof typeof EXAMPLES;

/** The values in the example files that a user (and this loader) replaces. */
export const EXAMPLE_PLACEHOLDERS = {
	slackUrl: 'https://hooks.slack.com/services/REPLACE/WITH/YOURS',
};

/** The examples' images: public placeholders a user replaces with their own; tests serve them locally. */
const EXAMPLE_IMAGE_URL = /https:\/\/placehold\.co\/[^\s"'()<>\\]+/g;

/** Type prefix of the installed package; n8n names the same nodes `CUSTOM.` when loaded from N8N_CUSTOM_EXTENSIONS. */
const PACKAGE_PREFIX = 'n8n-nodes-wechat-publish.';
const CUSTOM_PREFIX = 'CUSTOM.';
const CREDENTIAL_TYPE = 'weChatOfficialAccountApi';

export interface ExampleValues {
	/** The credential every WeChat node uses. */
	credential: { id: string; name: string };
	/** Where the Slack notifications go (the catcher). */
	slackUrl: string;
	/**
	 * The image server (test/sandbox's ImageServer) that stands in for the examples' public image
	 * URLs: each distinct one becomes a distinct PNG there, and the WeChat nodes that use one get
	 * Allow Private Network (the server is on loopback). `null` keeps the public URLs, for an n8n
	 * that runs nothing (screenshots).
	 */
	imageServerUrl?: string | null;
	/** Another workflow id, to import a variant beside the original. */
	id?: string;
	name?: string;
	active?: boolean;
}

/** An example exactly as the file holds it. */
export function readExample(name: ExampleName): WorkflowJson {
	return JSON.parse(readFileSync(path.join(repoRoot, 'examples', EXAMPLES[name]), 'utf8')) as WorkflowJson;
}

/** A node of a workflow by name, for a test to read or change its parameters. */
export function exampleNode(workflow: WorkflowJson, nodeName: string): Record<string, unknown> & { parameters: Record<string, unknown> } {
	const node = workflow.nodes.find((candidate) => candidate.name === nodeName);
	if (!node) throw new Error(`${workflow.name}: no node "${nodeName}"`);
	return node as Record<string, unknown> & { parameters: Record<string, unknown> };
}

/**
 * An example ready for `N8nInstance.start`: our node types under the CUSTOM prefix, the given
 * credential on every WeChat node, the Slack URL and image URLs replaced. Throws when a
 * placeholder is left, so an example that gains a new one cannot pass half-filled.
 */
export function loadExample(name: ExampleName, values: ExampleValues): WorkflowJson {
	const workflow = readExample(name);
	const served = new Map<string, string>();
	for (const node of workflow.nodes) {
		const type = String(node.type);
		if (type.startsWith(PACKAGE_PREFIX)) {
			node.type = CUSTOM_PREFIX + type.slice(PACKAGE_PREFIX.length);
			node.credentials = { [CREDENTIAL_TYPE]: { ...values.credential } };
			if (values.imageServerUrl) node.parameters = servedImages(node.parameters as Record<string, unknown>, values.imageServerUrl, served);
		}
		const parameters = node.parameters as Record<string, unknown>;
		if (parameters.url === EXAMPLE_PLACEHOLDERS.slackUrl) parameters.url = values.slackUrl;
	}
	const text = JSON.stringify(workflow);
	const left = Object.values(EXAMPLE_PLACEHOLDERS).filter((placeholder) => text.includes(JSON.stringify(placeholder)));
	const nodesText = JSON.stringify(workflow.nodes.filter((node) => String(node.type).startsWith(CUSTOM_PREFIX)));
	if (values.imageServerUrl !== null && new RegExp(EXAMPLE_IMAGE_URL.source).test(nodesText)) left.push('image URLs (give imageServerUrl)');
	if (left.length > 0) throw new Error(`${EXAMPLES[name]}: placeholders left: ${left.join(', ')}`);
	return {
		...workflow,
		id: values.id ?? workflow.id,
		name: values.name ?? workflow.name,
		active: values.active ?? false,
	};
}

/** A WeChat node's parameters with the examples' image URLs on the image server, and private network allowed when it has any. */
function servedImages(parameters: Record<string, unknown>, imageServerUrl: string, served: Map<string, string>): Record<string, unknown> {
	let found = false;
	const text = JSON.stringify(parameters).replace(EXAMPLE_IMAGE_URL, (url) => {
		found = true;
		if (!served.has(url)) served.set(url, `${imageServerUrl}/n/${served.size + 1}.png`);
		return served.get(url)!;
	});
	if (!found) return parameters;
	const rewritten = JSON.parse(text) as Record<string, unknown>;
	return { ...rewritten, options: { ...(rewritten.options as object | undefined), allowPrivateNetwork: true } };
}

/**
 * A new folder holding the test cover image (test/fixtures/cover.png), for an n8n started with
 * N8N_RESTRICT_FILE_ACCESS_TO set to it: n8n's file nodes may read only there.
 */
export function coverFolder(): { dir: string; coverPath: string; remove(): void } {
	const dir = mkdtempSync(path.join(tmpdir(), 'n8n-example-files-'));
	const coverPath = path.join(dir, 'cover.png');
	cpSync(path.join(repoRoot, 'test/fixtures/cover.png'), coverPath);
	return { dir, coverPath, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Example 1 submitting without waiting: Publish Draft outputs the publish_id at once and the
 * nodes that read the final status are gone (its error output still posts failures); the
 * result comes through the trigger workflow.
 */
export function withoutWaiting(workflow: WorkflowJson): WorkflowJson {
	const dropped = ['Published?', 'Post Article Link'];
	const submit = exampleNode(workflow, 'Publish Draft');
	submit.parameters.options = { ...(submit.parameters.options as object), waitForResult: false };
	const connections = { ...workflow.connections } as Record<string, { main: unknown[][] }>;
	for (const name of dropped) delete connections[name];
	connections['Publish Draft'] = { main: [[], connections['Publish Draft'].main[1]] };
	return { ...workflow, nodes: workflow.nodes.filter((node) => !dropped.includes(String(node.name))), connections };
}

/**
 * Environment for an n8n that has this package installed as a community package (in the user
 * folder's .n8n/nodes, where Settings → Community Nodes installs it) and nothing in
 * N8N_CUSTOM_EXTENSIONS: node types are then `n8n-nodes-wechat-publish.*`, as in the example files.
 */
export function installedPackageEnv(): { env: Record<string, string>; remove(): void } {
	const root = mkdtempSync(path.join(tmpdir(), 'n8n-installed-package-'));
	const nodesDir = path.join(root, 'user/.n8n/nodes');
	const target = path.join(nodesDir, 'node_modules/n8n-nodes-wechat-publish');
	mkdirSync(target, { recursive: true });
	mkdirSync(path.join(root, 'no-extensions'));
	cpSync(path.join(repoRoot, 'package.json'), path.join(target, 'package.json'));
	cpSync(path.join(repoRoot, 'dist'), path.join(target, 'dist'), { recursive: true });
	const { version } = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
	writeFileSync(
		path.join(nodesDir, 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { 'n8n-nodes-wechat-publish': version } }),
	);
	return {
		env: { N8N_USER_FOLDER: path.join(root, 'user'), N8N_CUSTOM_EXTENSIONS: path.join(root, 'no-extensions') },
		remove: () => rmSync(root, { recursive: true, force: true }),
	};
}

/** The production webhook path of the trigger in a workflow: `<webhookId>/webhook`. */
export function triggerWebhookPath(workflow: WorkflowJson): string {
	const trigger = workflow.nodes.find((node) => String(node.type).endsWith('.weChatOfficialAccountTrigger'));
	if (!trigger?.webhookId) throw new Error(`${workflow.name}: no WeChat trigger with a webhookId`);
	return `${String(trigger.webhookId)}/webhook`;
}

/** WeChat's URL check: a GET signed with the callback Token, answered with `echostr` when valid. */
export async function wechatUrlCheck(url: string, token: string, echostr: string): Promise<Response> {
	const timestamp = String(Math.floor(Date.now() / 1000));
	const nonce = String(Math.floor(Math.random() * 1e9));
	const query = new URLSearchParams({ signature: computeSignature(token, timestamp, nonce), timestamp, nonce, echostr });
	return await fetch(`${url}?${query}`);
}

/** A credential for the sandbox, with its fixed test values (not secrets). */
export function sandboxCredential(sandbox: WeChatSandbox, ref: { id: string; name: string }): CredentialJson {
	const { appId, appSecret, token, encodingAesKey } = sandbox.config;
	return {
		...ref,
		type: CREDENTIAL_TYPE,
		data: { appId, appSecret, baseUrl: sandbox.url, authMode: 'stable', token, encodingAesKey },
	};
}
