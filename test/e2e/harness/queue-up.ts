import { makePng } from '../../fixtures/images';
import { WeChatSandbox } from '../../sandbox';
import { Catcher } from './catcher';
import { OWNER } from './n8n';
import { QueueCluster } from './queue';
import {
	publishWebhookPath,
	queueCredential,
	queuePublishWorkflow,
	queueTriggerWorkflow,
	TRIGGER_WEBHOOK_PATH,
} from './queue-workflows';

/**
 * `scripts/queue-mode.sh up`: the queue-mode setup of the test, left running for a person to
 * try: PostgreSQL, Redis, main + 2 workers + 1 webhook processor, the WeChat sandbox pushing
 * publish results to the webhook processor, and a catcher that prints what the workflows report.
 * Ctrl-C stops everything.
 */
async function main(): Promise<void> {
	const sandbox = await WeChatSandbox.start({ publish: { status: 0, delayMs: 2000 } });
	const catcher = await Catcher.start();
	const cluster = await QueueCluster.start({
		credentials: [queueCredential('stable', sandbox)],
		workflows: [queuePublishWorkflow('stable', catcher.url), queueTriggerWorkflow(catcher.url)],
	});
	sandbox.configure({ callback: { url: cluster.webhookUrl(TRIGGER_WEBHOOK_PATH), mode: 'safe' } });

	const publishUrl = cluster.webhookUrl(publishWebhookPath('stable'));
	const body = JSON.stringify({ title: 'Hello from queue mode', cover: makePng().toString('base64') });
	process.stdout.write(
		[
			'',
			`n8n editor (main):      ${cluster.main.baseUrl}  (${OWNER.email} / ${OWNER.password})`,
			`webhook processor:      ${cluster.webhookUrl('')}`,
			`workers:                ${cluster.workers.map((worker) => worker.logFile).join(', ')}`,
			`WeChat sandbox:         ${sandbox.url}`,
			'',
			'Publish once (the result event comes back through the webhook processor 2 s later):',
			`  curl -s -X POST -H 'content-type: application/json' ${publishUrl} -d '${body}'`,
			'',
			'Ctrl-C stops everything.',
			'',
		].join('\n'),
	);

	// What the workflows report, as it arrives.
	let printed = 0;
	const printer = setInterval(() => {
		for (const request of catcher.requests.slice(printed)) {
			process.stdout.write(`reported: ${request.path} ${request.text}\n`);
		}
		printed = catcher.requests.length;
	}, 500);
	await new Promise<void>((resolve) => {
		process.once('SIGINT', () => resolve());
		process.once('SIGTERM', () => resolve());
	});
	clearInterval(printer);
	process.stdout.write('stopping...\n');
	await cluster.stop();
	await catcher.close();
	await sandbox.close();
}

main().catch((error: Error) => {
	process.stderr.write(`${error.stack ?? error.message}\n`);
	process.exit(1);
});
