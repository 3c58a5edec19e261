import type { Catcher, CaughtRequest } from './catcher';
import { exampleNode, loadExample, type ExampleName, type ExampleValues } from './examples';
import type { CliRun, N8nInstance, WorkflowJson } from './n8n';

/**
 * Example 1 ("Create a draft and publish it, notify on failure", or its HTML variant) as the publishing tests run it:
 * a short status poll, `n8n execute`, and the Slack messages it posted to the catcher.
 */

/** The example with a short status poll, so a run waits about a second for the sandbox's result. */
export function publishExample(values: ExampleValues, name: ExampleName = 'publish'): WorkflowJson {
	const workflow = loadExample(name, values);
	const submit = exampleNode(workflow, 'Publish Draft');
	submit.parameters.options = { ...(submit.parameters.options as object), pollInterval: 0.5 };
	return workflow;
}

/** Runs a workflow with `n8n execute`; returns the run and the Slack messages (to `slackPath`) it sent. */
export async function runWithSlack(
	n8n: N8nInstance,
	catcher: Catcher,
	workflowId: string,
	slackPath: string,
): Promise<{ run: NonNullable<CliRun['run']>; slack: CaughtRequest[] }> {
	const before = catcher.requests.length;
	const result = await n8n.execute(workflowId);
	if (result.exitCode !== 0 || !result.run) {
		throw new Error(`n8n execute ${workflowId}: exit ${result.exitCode}\n${result.output.slice(-3000)}`);
	}
	// `n8n execute` returns after the run, so every request it made has been received.
	return { run: result.run, slack: catcher.requests.slice(before).filter((request) => request.path === slackPath) };
}

export function slackText(request: CaughtRequest): string {
	return (request.body as { text: string }).text;
}
