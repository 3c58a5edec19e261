import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	IHookFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../WeChatOfficialAccount/transport';
import { deriveAesKey } from '../wechat/crypto';
import { PublishOutput } from '../wechat/events';
import { isRejection, readPush, routePush, verifySetup } from './callback';
import type { CallbackAccount, Rejection, Verdict } from './callback';
import { callbackAccounts, toCallbackAccount } from './accountCache';
import { triggerDeliveries } from './deliveryLog';

interface TriggerOptions {
	emitOtherEvents?: boolean;
	maxTimestampAge?: number;
}

const DEFAULT_MAX_TIMESTAMP_AGE = 300;

export class WeChatOfficialAccountTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WeChat Official Account Trigger',
		name: 'weChatOfficialAccountTrigger',
		icon: { light: 'file:../WeChatOfficialAccount/wechat.svg', dark: 'file:../WeChatOfficialAccount/wechat.dark.svg' },
		group: ['trigger'],
		// Both versions behave alike. n8n 2.41 evaluates a legacy `binaryData` expression in its
		// expression isolate on every request to a version-1 webhook node (about 6 ms of CPU a push
		// under load); from version 2 on it does not. Version 1 stays for saved workflows.
		version: [1, 2],
		defaultVersion: 2,
		subtitle:
			'={{ $parameter["options"]["emitOtherEvents"] ? "Publish results and other messages" : "Publish results" }}',
		description:
			'Starts the workflow when WeChat pushes the result of a publish job (PUBLISHJOBFINISH), branched by outcome',
		defaults: {
			name: 'WeChat Official Account Trigger',
		},
		inputs: [],
		outputs: [
			NodeConnectionTypes.Main,
			NodeConnectionTypes.Main,
			NodeConnectionTypes.Main,
			NodeConnectionTypes.Main,
		],
		outputNames: ['Published', 'Failed', 'Removed', 'Other'],
		credentials: [
			{
				name: 'weChatOfficialAccountApi',
				required: true,
			},
		],
		webhooks: [
			{
				name: 'setup',
				httpMethod: 'GET',
				responseMode: 'onReceived',
				path: 'webhook',
			},
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'webhook',
			},
		],
		properties: [
			{
				displayName:
					'On the WeChat platform, under 设置与开发 → 基本配置 → 服务器配置 (Settings and Development → Basic Configuration → Server Configuration), set the URL to this node\'s Production URL (under Webhook URLs above), and Token and EncodingAESKey to the values in the credential. Choose the message mode 安全模式 (Safe mode, recommended) or 兼容模式 (Compatible mode); 明文模式 (Plain mode) works too, but its bodies are not signed. Activate the workflow before you submit: WeChat checks the URL at once.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Emit Other Events',
						name: 'emitOtherEvents',
						type: 'boolean',
						default: false,
						description:
							'Whether messages other than publish results (user messages, subscribe, MASSSENDJOBFINISH, ...) start the workflow on the Other output. Off: they are acknowledged and dropped.',
					},
					{
						displayName: 'Max Timestamp Age',
						name: 'maxTimestampAge',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: DEFAULT_MAX_TIMESTAMP_AGE,
						description:
							'Refuse requests whose signed timestamp differs from this server\'s clock by more than this many seconds, so a captured request cannot be replayed later. 0 turns the check off.',
					},
				],
			},
		],
	};

	webhookMethods = {
		default: {
			// WeChat has no API that registers the server URL: the user sets it on the platform.
			// There is nothing to look up, so activation goes to create(), which checks the credential.
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const credentials = await this.getCredentials('weChatOfficialAccountApi');
				if (!credentials.token) {
					throw new NodeOperationError(
						this.getNode(),
						'The credential has no Callback Token: the trigger needs the Token of the server settings to verify WeChat\'s signature',
					);
				}
				const encodingAesKey = String(credentials.encodingAesKey ?? '');
				if (encodingAesKey !== '') {
					try {
						deriveAesKey(encodingAesKey);
					} catch (error) {
						throw new NodeOperationError(this.getNode(), `The credential's EncodingAESKey is invalid: ${(error as Error).message}`);
					}
				}
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const res = this.getResponseObject();
		const query = this.getQueryData() as IDataObject;
		const options = this.getNodeParameter('options', {}) as TriggerOptions;
		const maxTimestampAge = options.maxTimestampAge ?? DEFAULT_MAX_TIMESTAMP_AGE;
		const now = Date.now();
		const nowSeconds = Math.floor(now / 1000);
		const node = this.getNode();
		const accountKey = `${this.getWorkflow().id ?? ''}\n${node.id}\n${node.credentials?.[CREDENTIAL_TYPE]?.id ?? ''}`;
		const readAccount = async () => toCallbackAccount(await this.getCredentials(CREDENTIAL_TYPE));
		/** Checks with the cached credential; before refusing, with a fresh read (the credential may have just changed), at most every second. */
		const verified = async <T extends object>(check: (account: CallbackAccount) => Verdict<T>): Promise<Verdict<T>> => {
			const verdict = check(await callbackAccounts.get(accountKey, now, readAccount));
			if (!isRejection(verdict)) return verdict;
			return check(await callbackAccounts.reread(accountKey, now, readAccount));
		};

		const refuse = (rejection: Rejection): IWebhookResponseData => {
			if (rejection.misconfigured) this.logger.warn(`WeChat trigger: ${rejection.reason}`);
			res.status(rejection.status).type('text/plain').send(rejection.reason);
			return { noWebhookResponse: true };
		};

		if (this.getWebhookName() === 'setup') {
			const setup = await verified((account) => verifySetup(query, account, maxTimestampAge, nowSeconds));
			if (isRejection(setup)) return refuse(setup);
			res.status(200).type('text/plain').send(setup.echostr);
			return { noWebhookResponse: true };
		}

		const rawBody = this.getRequestObject().rawBody;
		const push = await verified((account) => readPush(query, rawBody, account, maxTimestampAge, nowSeconds));
		if (isRejection(push)) return refuse(push);
		const routed = routePush(push.message, options.emitOtherEvents === true);
		if (routed !== undefined && isRejection(routed)) return refuse(routed);

		// n8n ignores webhookResponse when workflowData is present (its webhook helpers use it only without workflowData): answer here.
		res.status(200).type('text/plain').send('success');
		if (routed === undefined) return { noWebhookResponse: true };
		const scope = `${this.getWorkflow().id ?? ''}\n${node.id}`;
		if (!triggerDeliveries.record(scope, routed.deliveryKey, now)) return { noWebhookResponse: true };

		const workflowData: INodeExecutionData[][] = Object.values(PublishOutput).map(() => []);
		workflowData[routed.output].push({ json: routed.item as IDataObject });
		return { workflowData, noWebhookResponse: true };
	}
}
