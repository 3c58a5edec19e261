/**
 * `npm run demo` (scripts/demo.sh runs this after the build and n8n provisioning): a real n8n
 * with this package, the WeChat sandbox standing in for WeChat, a Slack stand-in that prints
 * what it receives, and the example workflows (plus a copy of the publish example whose draft
 * the sandbox rejects, to show the failure path); the sandbox pushes publish results to the
 * trigger workflow's production URL. Ctrl-C, SIGINT or SIGTERM stops everything; so does the
 * parent (npm) going away.
 *
 * Environment: DEMO_PORT (n8n's port; default 5678, or a free one when 5678 is taken),
 * DEMO_EXIT_AFTER_READY=1 (stop again once everything is up: a start check).
 */
import { createServer } from 'node:net';

import { ImageServer, WeChatSandbox } from '../../test/sandbox';
import { Catcher, type CaughtRequest } from '../../test/e2e/harness/catcher';
import { loadExample, sandboxCredential, triggerWebhookPath } from '../../test/e2e/harness/examples';
import { freePort, N8nInstance, nodeOutputs, OWNER } from '../../test/e2e/harness/n8n';
import { ensurePackageBuilt } from '../../test/helpers/packageBuild';
import { demoSetupNote, MASS_SEND_PATH, massSendDemoNote, seedEngagement, withDemoNote, withDraftRejected } from './workflows';

const PREFERRED_PORT = 5678;
const CREDENTIAL = { id: 'demoWeChatCred01', name: 'WeChat (local sandbox)' };
/** Long enough to see the job "publishing" in the editor, short enough to wait for. */
const PUBLISH_DELAY_MS = 2000;
const SLACK_SOURCES: Record<string, string> = {
	'/slack/publish': 'Create a draft and publish it',
	'/slack/rejected': 'Create a draft and publish it (the sandbox rejects this draft)',
	'/slack/draft': 'Create a draft for review',
	'/slack/route': 'Route publish results',
};
/** setTimeout's longest delay: the Slack stand-in waits for messages as long as the demo runs. */
const FOREVER_MS = 2 ** 31 - 1;

const say = (line: string) => process.stdout.write(`${line}\n`);

async function portIsFree(port: number): Promise<boolean> {
	const server = createServer();
	return await new Promise((resolve) => {
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

async function choosePort(): Promise<number> {
	if (process.env.DEMO_PORT) return Number(process.env.DEMO_PORT);
	if (await portIsFree(PREFERRED_PORT)) return PREFERRED_PORT;
	const port = await freePort();
	say(`Port ${PREFERRED_PORT} is taken; n8n uses ${port}.`);
	return port;
}

/** Prints every Slack message as it arrives, naming the workflow that sent it. */
async function printSlackMessages(catcher: Catcher): Promise<void> {
	const printed = new Set<CaughtRequest>();
	for (;;) {
		const message = await catcher.waitFor((request) => !printed.has(request), FOREVER_MS);
		printed.add(message);
		const text = (message.body as { text?: string }).text ?? message.text;
		say(`[Slack] from "${SLACK_SOURCES[message.path] ?? message.path}": ${text}`);
	}
}

/** Prints what the sandbox pushed to n8n and each execution of the trigger workflow. */
function watchPushesAndExecutions(sandbox: WeChatSandbox, n8n: N8nInstance, routeId: string): NodeJS.Timeout {
	let pushesSeen = 0;
	const executionsSeen = new Set<string>();
	let busy = false;
	return setInterval(() => {
		for (const push of sandbox.pushes.slice(pushesSeen)) {
			say(
				`[WeChat sandbox] pushed PUBLISHJOBFINISH publish_id ${push.publishId} status ${push.status} (${push.mode} mode); n8n answered ${push.httpStatus} "${push.body}"`,
			);
		}
		pushesSeen = sandbox.pushes.length;
		if (busy) return;
		busy = true;
		n8n
			.executions({ workflowId: routeId, includeData: true })
			.then((executions) => {
				for (const execution of executions.reverse()) {
					if (executionsSeen.has(execution.id) || !execution.finished || !execution.data) continue;
					executionsSeen.add(execution.id);
					const [published, failed, removed, other] = nodeOutputs(execution.data, 'WeChat Trigger');
					const branch = ['Published', 'Failed', 'Removed', 'Other'][[published, failed, removed, other].findIndex((items) => items?.length)];
					say(`[n8n] "Route publish results" execution ${execution.id}: ${execution.status}, output ${branch ?? 'none'}`);
				}
			})
			.catch(() => undefined)
			.finally(() => {
				busy = false;
			});
	}, 1000);
}

/** Stops the demo when its parent (npm, or the shell that ran it) is gone, whatever ended it. */
function stopWhenOrphaned(stop: (code: number) => Promise<void>): void {
	const parent = process.ppid;
	setInterval(() => {
		if (process.ppid !== parent) void stop(0);
	}, 1000).unref();
}

async function main(): Promise<void> {
	const started = Date.now();
	ensurePackageBuilt();
	const port = await choosePort();
	const sandbox = await WeChatSandbox.start({ publish: { status: 0, delayMs: PUBLISH_DELAY_MS } });
	const catcher = await Catcher.start();
	const images = await ImageServer.start();
	let n8n: N8nInstance | undefined;
	let watcher: NodeJS.Timeout | undefined;
	let stopping = false;
	const stop = async (code: number) => {
		if (stopping) return;
		stopping = true;
		if (watcher) clearInterval(watcher);
		say('Stopping n8n, the sandbox and the Slack stand-in...');
		// Every instance, also one still starting (`n8n` is unset until its start resolves).
		await N8nInstance.stopAll();
		await catcher.close();
		await sandbox.close();
		await images.close();
		process.exit(code);
	};
	process.on('SIGINT', () => void stop(0));
	process.on('SIGTERM', () => void stop(0));
	stopWhenOrphaned(stop);

	try {
		const slack = `${catcher.url}/slack`;
		const values = { credential: CREDENTIAL, imageServerUrl: images.url };
		const note = demoSetupNote(CREDENTIAL.name);
		const publish = withDemoNote(loadExample('publish', { ...values, slackUrl: `${slack}/publish` }), note);
		const rejected = withDemoNote(
			withDraftRejected(
				loadExample('publish', { ...values, slackUrl: `${slack}/rejected` }),
				'demoRejectedPub1',
				`${publish.name} (the sandbox rejects this draft)`,
			),
			[...note, '', 'The sandbox refuses to publish this draft (errcode 53503, as WeChat answers a draft that fails its check): *Publish Draft* sends the error down its error output to *Post Failure*.'],
		);
		const draft = withDemoNote(loadExample('draft', { ...values, slackUrl: `${slack}/draft` }), note);
		const route = withDemoNote(loadExample('route', { ...values, slackUrl: `${slack}/route`, active: true }), [
			'The demo has done the **Setup** steps below: the trigger uses the credential of the local WeChat sandbox, the workflow is active, and the sandbox pushes each publish result to its Production URL (safe mode). Its runs are production runs: see the **Executions** tab.',
		]);
		seedEngagement(sandbox);
		const engagementNote = [
			...note,
			'',
			'The sandbox holds a mass send of two articles from three days ago, with reader comments: add more with `POST <sandbox>/sandbox/engagement/comments`.',
		];
		const weekly = withDemoNote(loadExample('weeklyReport', { ...values, slackUrl: `${slack}/weekly` }), engagementNote);
		const inbox = withDemoNote(loadExample('commentInbox', { ...values, slackUrl: `${slack}/comments` }), engagementNote);
		const massSend = withDemoNote(loadExample('massSend', { ...values, slackUrl: `${slack}/mass-send`, active: true }), massSendDemoNote());
		say(`Starting n8n 2.41.1 with this package on port ${port}...`);
		n8n = await N8nInstance.start({
			port,
			credentials: [sandboxCredential(sandbox, CREDENTIAL)],
			workflows: [publish, rejected, draft, route, massSend, weekly, inbox],
		});
		const callbackUrl = n8n.webhookUrl(triggerWebhookPath(route));
		sandbox.configure({ callback: { url: callbackUrl, mode: 'safe' } });
		sandbox.configure({ massSend: { callback: { url: n8n.webhookUrl(triggerWebhookPath(massSend)), mode: 'safe' } } });

		say('');
		say(`Ready in ${Math.round((Date.now() - started) / 1000)} s.`);
		say(`  n8n editor        ${n8n.baseUrl}`);
		say(`  sign in           ${OWNER.email} / ${OWNER.password}`);
		say(`  WeChat sandbox    ${sandbox.url} (credential "${CREDENTIAL.name}"; publishing takes ${PUBLISH_DELAY_MS / 1000} s)`);
		say(`  trigger URL       ${callbackUrl} (the sandbox pushes results here, safe mode)`);
		say(`  Slack stand-in    ${slack} (messages are printed below)`);
		say(`  image server      ${images.url} (serves the examples' placeholder images)`);
		say(`  n8n log           ${n8n.logFile}`);
		say('');
		say(`Open ${n8n.baseUrl}, sign in, and in each workflow press "Execute workflow":`);
		say(`  "${publish.name}": publishes and waits for the result.`);
		say(`  "${rejected.name}": the failure path.`);
		say(`  "${draft.name}": a draft only.`);
		say(`  "${weekly.name}": last week's numbers as a table.`);
		say(`  "${inbox.name}": new reader comments (run it twice: the second run posts nothing new).`);
		say(`"${route.name}" is active and runs by itself on each publish result.`);
		say(`"${massSend.name}" is active: start it with`);
		say(`  curl -X POST ${n8n.webhookUrl(MASS_SEND_PATH)} -H 'content-type: application/json' -d '{"title":"Hello","markdown":"# Hello\\n\\nFrom the demo."}'`);
		say('  then open the Approve link its Slack message prints below; the mass-send result follows.');
		say('Results: each node\'s output (click the node), each workflow\'s Executions tab, and below. For a publish,');
		say('this terminal shows, usually in this order: the Slack message of the trigger workflow, the sandbox\'s');
		say('push that started it (printed once n8n has answered it), that execution, and a few seconds later the');
		say('publishing workflow\'s own Slack message (Wait for Result polls every 5 s). Ctrl-C stops everything.');
		say('');
		if (process.env.DEMO_EXIT_AFTER_READY) {
			await stop(0);
			return;
		}
		watcher = watchPushesAndExecutions(sandbox, n8n, route.id);
		await printSlackMessages(catcher);
	} catch (error) {
		process.stderr.write(`demo: ${(error as Error).message}\n`);
		await stop(1);
	}
}

void main();
