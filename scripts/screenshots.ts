/**
 * Regenerates the documentation screenshots in docs/screenshots/ from a real n8n editor, driven
 * by playwright-core through Debian's headless Chromium (`apt-get install chromium`).
 *
 *   node -r ts-node/register/transpile-only scripts/screenshots.ts
 *
 * By default it starts its own n8n (the e2e harness: n8n 2.41.1 with this package's dist/, built
 * first when stale) with the WeChat sandbox, a sandbox credential and the two example workflows.
 * Environment:
 *   N8N_URL           use a running n8n instead (for example the one `npm run demo` prints); its
 *                     owner is set up when the instance has none, else signed in
 *   N8N_EMAIL, N8N_PASSWORD   that owner (default: the harness's, which the demo uses too)
 *   CHROMIUM          the browser (default /usr/bin/chromium; CJK text needs fonts-noto-cjk)
 * `-- --article-only` makes only article-rendered.png, which needs no n8n (see renderedArticle.ts).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { chromium, type BrowserContext, type Page } from 'playwright-core';

import { loadExample, sandboxCredential } from '../test/e2e/harness/examples';
import { ensurePackageBuilt } from '../test/helpers/packageBuild';
import { N8nInstance, OWNER, type WorkflowJson } from '../test/e2e/harness/n8n';
import { repoRoot } from '../test/e2e/harness/runtime';
import { WeChatSandbox } from '../test/sandbox';
import { shootRenderedArticle } from './docs/renderedArticle';

const OUT_DIR = path.join(repoRoot, 'docs/screenshots');
const CREDENTIAL = { id: 'wechatDocsCred01', name: 'WeChat (sandbox)' };
/**
 * The screenshots run nothing, but the examples' placeholders must be filled: with values that
 * look like a reader's own (the Slack nodes show their URL on the canvas); the public image URLs stay.
 */
const READER_VALUES = {
	slackUrl: 'https://hooks.slack.com/services/YOUR/WEBHOOK/URL',
	imageServerUrl: null,
};
const ACTION_TYPE = 'weChatOfficialAccount';
const TRIGGER_TYPE = 'weChatOfficialAccountTrigger';

/** The flags the brief for headless Chromium in this project asks for; no network of its own. */
const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
];
const VIEWPORT = { width: 1440, height: 900 };

interface Target {
	baseUrl: string;
	workflows: WorkflowJson[];
	stop(): Promise<void>;
}

function typeName(type: string): string {
	return type.slice(type.lastIndexOf('.') + 1);
}

/** Our own n8n with the sandbox behind the credential. */
async function startOwnN8n(): Promise<Target> {
	const workflows = (['publish', 'route'] as const).map((name) =>
		loadExample(name, { credential: CREDENTIAL, ...READER_VALUES }),
	);
	const sandbox = await WeChatSandbox.start();
	try {
		const n8n = await N8nInstance.start({ workflows, credentials: [sandboxCredential(sandbox, CREDENTIAL)] });
		return {
			baseUrl: n8n.baseUrl,
			workflows,
			stop: async () => {
				await n8n.stop();
				await sandbox.close();
			},
		};
	} catch (error) {
		await sandbox.close();
		throw error;
	}
}

/** Signs the browser in, setting the owner up first when the instance has none. */
async function signIn(context: BrowserContext, baseUrl: string): Promise<void> {
	const email = process.env.N8N_EMAIL ?? OWNER.email;
	const password = process.env.N8N_PASSWORD ?? OWNER.password;
	const setup = await context.request.post(`${baseUrl}/rest/owner/setup`, {
		data: { ...OWNER, email, password },
		failOnStatusCode: false,
	});
	if (setup.ok()) return;
	const login = await context.request.post(`${baseUrl}/rest/login`, {
		data: { emailOrLdapLoginId: email, password },
		failOnStatusCode: false,
	});
	if (!login.ok()) throw new Error(`sign-in as ${email}: HTTP ${login.status()} ${await login.text()}`);
}

/** The workflows of a running n8n (the demo), read through the editor's REST API. */
async function listWorkflows(context: BrowserContext, baseUrl: string): Promise<WorkflowJson[]> {
	const response = await context.request.get(`${baseUrl}/rest/workflows?includeScopes=false`);
	const { data } = (await response.json()) as { data: Array<{ id: string }> };
	const full = [];
	for (const { id } of data) {
		const detail = await context.request.get(`${baseUrl}/rest/workflows/${id}`);
		full.push(((await detail.json()) as { data: WorkflowJson }).data);
	}
	return full;
}

async function openWorkflow(page: Page, baseUrl: string, workflowId: string): Promise<void> {
	await page.goto(`${baseUrl}/workflow/${workflowId}`);
	await page.locator('[data-test-id="canvas-node"]').first().waitFor();
	// Focus the empty canvas, fit the workflow into view (the canvas's "1" shortcut) and zoom out a
	// step so the floating "Execute workflow" button covers no node; move the pointer off the nodes
	// so no hover toolbar shows; then let the animation settle.
	await page.locator('[data-test-id="canvas-wrapper"]').click({ position: { x: 30, y: 30 } });
	await page.keyboard.press('1');
	await page.waitForTimeout(400);
	await page.keyboard.press('-');
	await page.mouse.move(VIEWPORT.width - 5, VIEWPORT.height / 2);
	await page.waitForTimeout(800);
}

async function shoot(page: Page, file: string): Promise<void> {
	await page.screenshot({ path: path.join(OUT_DIR, file) });
	process.stdout.write(`screenshots: wrote docs/screenshots/${file}\n`);
}

/** Opens a node's parameter panel by double-clicking it on the canvas. */
async function openNode(page: Page, nodeName: string): Promise<void> {
	await page.locator(`[data-test-id="canvas-node"][data-node-name="${nodeName}"]`).dblclick();
	await page.locator('[data-test-id="ndv"]').waitFor();
	await page.waitForTimeout(800);
}

/** The name of the first node of this type (and operation) in the workflow. */
function nodeOf(workflow: WorkflowJson, type: string, operation?: string): string | undefined {
	const node = workflow.nodes.find(
		(candidate) =>
			typeName(String(candidate.type)) === type &&
			(operation === undefined || (candidate.parameters as { operation?: unknown } | undefined)?.operation === operation),
	);
	return node === undefined ? undefined : String(node.name);
}

async function main(): Promise<void> {
	mkdirSync(OUT_DIR, { recursive: true });
	ensurePackageBuilt();
	await shootRenderedArticle(process.env.CHROMIUM ?? '/usr/bin/chromium', CHROMIUM_ARGS, OUT_DIR);
	if (process.argv.includes('--article-only')) return;
	const external = process.env.N8N_URL?.replace(/\/+$/, '');
	const target: Target = external
		? { baseUrl: external, workflows: [], stop: async () => undefined }
		: await startOwnN8n();
	const profile = mkdtempSync(path.join(tmpdir(), 'wechat-docs-chromium-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
		headless: true,
		args: CHROMIUM_ARGS,
		viewport: VIEWPORT,
		locale: 'en-US',
		timezoneId: 'Asia/Shanghai',
	});
	try {
		await signIn(context, target.baseUrl);
		const workflows = external ? await listWorkflows(context, target.baseUrl) : target.workflows;
		const publishing = workflows.find((workflow) => nodeOf(workflow, ACTION_TYPE, 'submit') && !nodeOf(workflow, TRIGGER_TYPE));
		const routing = workflows.find((workflow) => nodeOf(workflow, TRIGGER_TYPE));
		if (!publishing || !routing) {
			throw new Error(`need a workflow with Publish → Submit and one with the trigger; found: ${workflows.map((w) => w.name).join(', ')}`);
		}
		const page = context.pages()[0] ?? (await context.newPage());

		await openWorkflow(page, target.baseUrl, publishing.id);
		await shoot(page, 'workflow-publish.png');
		await openNode(page, nodeOf(publishing, ACTION_TYPE, 'submit')!);
		await shoot(page, 'node-publish-submit.png');

		await openWorkflow(page, target.baseUrl, routing.id);
		await shoot(page, 'workflow-route-results.png');
		await openNode(page, nodeOf(routing, TRIGGER_TYPE)!);
		await page.locator('[title="Click to display webhook URLs"]').click();
		await page.locator('[data-test-id="radio-button-production"]').click();
		await page.waitForTimeout(300);
		await shoot(page, 'trigger-node.png');
		await page.locator('[data-test-id="credential-edit-button"]').click();
		await page.getByText('Callback Token', { exact: true }).waitFor();
		await page.waitForTimeout(500);
		await shoot(page, 'credential.png');
	} finally {
		await context.close();
		rmSync(profile, { recursive: true, force: true });
		await target.stop();
	}
}

main().catch((error: unknown) => {
	process.stderr.write(`screenshots: ${(error as Error).stack ?? String(error)}\n`);
	process.exitCode = 1;
});
