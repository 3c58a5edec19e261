import { readFileSync } from 'node:fs';
import path from 'node:path';

import { TOKEN_SERVICE_HEADER, TOKEN_SERVICE_SECRET, type SandboxTokenService, type WeChatSandbox } from '../../sandbox';
import type { CredentialJson, WorkflowJson } from './n8n';

/**
 * The queue-mode workflows (test/e2e/workflows/queue-*.json) and their credentials:
 * "Webhook → cover from the request → upload cover → create draft → submit → report", one per
 * auth mode, and "WeChat Trigger → report published / other outcome".
 */

export type AuthMode = 'stable' | 'classic' | 'tokenService';

export const PUBLISH_WORKFLOW_IDS: Record<AuthMode, string> = {
	stable: 'queuePublishStbl',
	classic: 'queuePublishClsc',
	tokenService: 'queuePublishSrvc',
};
const PUBLISH_WEBHOOK_IDS: Record<AuthMode, string> = {
	stable: '6f0b5b1e-7c1d-4f51-9a57-5e2d3c4b0001',
	classic: '6f0b5b1e-7c1d-4f51-9a57-5e2d3c4b0002',
	tokenService: '6f0b5b1e-7c1d-4f51-9a57-5e2d3c4b0004',
};
export const TRIGGER_WORKFLOW_ID = 'queueTriggerFlow';
const TRIGGER_WEBHOOK_ID = '6f0b5b1e-7c1d-4f51-9a57-5e2d3c4b0003';
/** The Trigger's production path: `<webhookId>/webhook` (its webhooks have a fixed path). */
export const TRIGGER_WEBHOOK_PATH = `${TRIGGER_WEBHOOK_ID}/webhook`;

/** The production path of a publish workflow's Webhook node. */
export function publishWebhookPath(mode: AuthMode): string {
	return `queue-publish-${mode}`;
}

/** A workflow from test/e2e/workflows/, its @NAME@ placeholders filled in, to be published. */
function workflowFromTemplate(file: string, values: Record<string, string>): WorkflowJson {
	const template = readFileSync(path.join(__dirname, '../workflows', file), 'utf8');
	const filled = template.replace(/@([A-Z_]+)@/g, (_, name: string) => {
		if (!(name in values)) throw new Error(`${file}: no value for @${name}@`);
		return values[name];
	});
	return { ...(JSON.parse(filled) as WorkflowJson), active: true };
}

function credentialRef(mode: AuthMode): Record<string, string> {
	return { NODE_PREFIX: 'CUSTOM', CREDENTIAL_ID: `queueCred${mode}`, CREDENTIAL_NAME: `WeChat sandbox (${mode})` };
}

export function queuePublishWorkflow(mode: AuthMode, catcherUrl: string): WorkflowJson {
	return workflowFromTemplate('queue-publish.json', {
		...credentialRef(mode),
		WORKFLOW_ID: PUBLISH_WORKFLOW_IDS[mode],
		WEBHOOK_ID: PUBLISH_WEBHOOK_IDS[mode],
		MODE: mode,
		CATCHER_URL: catcherUrl,
	});
}

/** The Trigger workflow, on the stable credential (the Trigger needs no token). */
export function queueTriggerWorkflow(catcherUrl: string): WorkflowJson {
	return workflowFromTemplate('queue-trigger.json', {
		...credentialRef('stable'),
		WORKFLOW_ID: TRIGGER_WORKFLOW_ID,
		WEBHOOK_ID: TRIGGER_WEBHOOK_ID,
		CATCHER_URL: catcherUrl,
	});
}

/** A credential pointing at the sandbox, in the given auth mode (tokenService: the sandbox's token service, no AppSecret). */
export function queueCredential(mode: AuthMode, sandbox: WeChatSandbox, service?: SandboxTokenService): CredentialJson {
	const { appId, appSecret, token, encodingAesKey } = sandbox.config;
	const tokens =
		mode === 'tokenService'
			? {
					serviceUrl: service!.tokenUrl,
					serviceHeaderName: TOKEN_SERVICE_HEADER,
					serviceHeaderValue: TOKEN_SERVICE_SECRET,
					serviceResponseField: 'authorizer_access_token',
				}
			: { appSecret };
	return {
		id: `queueCred${mode}`,
		name: `WeChat sandbox (${mode})`,
		type: 'weChatOfficialAccountApi',
		data: { appId, baseUrl: sandbox.url, authMode: mode, ...tokens, token, encodingAesKey },
	};
}
