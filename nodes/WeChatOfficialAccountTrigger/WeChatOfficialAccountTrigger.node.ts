import { NodeConnectionTypes, NodeOperationError, VersionedNodeType } from 'n8n-workflow';
import type {
	IDataObject,
	IHookFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeBaseDescription,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../WeChatOfficialAccount/transport';
import { hash } from 'node:crypto';

import { deriveAesKey } from '../wechat/crypto';
import { PLATFORM_PATHS } from '../wechat/platformPaths';
import { inspectPush, isRejection, routePush, verifyPush, verifySetup } from './callback';
import type { CallbackAccount, Rejection, Verdict } from './callback';
import { callbackAccounts, toCallbackAccount } from './accountCache';
import { DELIVERY_MAX_AGE_MS, triggerDeliveries, triggerSignedUrls, URL_CHECK } from './deliveryLog';
import { misconfigurationWarnings } from './misconfigurationWarnings';
import { OUTPUT_NAMES, OUTPUT_NAMES_V3, outputNamesFor } from './routes';

interface TriggerOptions {
	acceptPlainPushes?: boolean;
	emitOtherEvents?: boolean;
	maxTimestampAge?: number;
}

/** What n8n answers once it has created the execution of an accepted push (WeChat's "received"). */
const ACKNOWLEDGEMENT = 'success';

const DEFAULT_MAX_TIMESTAMP_AGE = 300;

/** Versions 1 and 2: publish results only, four outputs (a mass-send result is an other event). */
export class WeChatOfficialAccountTriggerV1 implements INodeType {
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
		outputNames: [...OUTPUT_NAMES],
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
				// With workflowData, n8n answers this only after it has created the execution, so an
				// acknowledged push is never lost by a crash right after the answer. Refusals and
				// duplicates start nothing and are answered by the node.
				responseMode: 'onReceived',
				responseData: ACKNOWLEDGEMENT,
				path: 'webhook',
			},
		],
		properties: [
			{
				displayName:
					`Under ${PLATFORM_PATHS.messagePush}, set the URL to this node's Production URL (under Webhook URLs above), and Token and EncodingAESKey to the values in the credential. Choose the message mode 安全模式 (Safe mode, recommended) or 兼容模式 (Compatible mode): with an EncodingAESKey in the credential, the trigger takes only encrypted pushes. For 明文模式 (Plain mode, whose bodies are not signed), leave the EncodingAESKey empty or turn on Accept Plain Pushes below. Activate the workflow before you submit: WeChat checks the URL at once.`,
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				// n8n 1.x's webhook helper answers before WorkflowRunner.run creates the execution.
				displayName:
					'On n8n 1.x, WeChat gets "success" just before n8n records the execution (on n8n 2 just after), so a result acknowledged in the moment before n8n crashes can be lost. Publish → Get Status with the publish_id still finds it.',
				name: 'n8n1AcknowledgementNotice',
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
						displayName: 'Accept Plain Pushes',
						name: 'acceptPlainPushes',
						type: 'boolean',
						default: false,
						description:
							'Whether to take unencrypted pushes although the credential has an EncodingAESKey. Turn on only while the server configuration is in plain mode (明文模式): a plain push is signed without its body, so whoever sees one signed URL could send another body under it within the timestamp window.',
					},
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
		const scope = `${this.getWorkflow().id ?? ''}\n${node.id}`;
		const accountKey = `${scope}\n${node.credentials?.[CREDENTIAL_TYPE]?.id ?? ''}`;
		const readAccount = async () => toCallbackAccount(await this.getCredentials(CREDENTIAL_TYPE));
		/**
		 * Checks with the cached credential; before refusing, with a fresh read (the credential may
		 * have just changed), at most every second, unless no credential could change the refusal.
		 */
		const verified = async <T extends object>(check: (account: CallbackAccount) => Verdict<T>): Promise<Verdict<T>> => {
			const verdict = check(callbackAccounts.fresh(accountKey, now) ?? (await callbackAccounts.get(accountKey, now, readAccount)));
			if (!isRejection(verdict) || verdict.final) return verdict;
			return check(await callbackAccounts.reread(accountKey, now, readAccount));
		};

		const isSetup = this.getWebhookName() === 'setup';
		const refuse = (rejection: Rejection): IWebhookResponseData => {
			if (rejection.fix !== undefined && misconfigurationWarnings.mayWarn(scope, now)) {
				const what = isSetup ? 'WeChat\'s URL check (GET)' : 'a push';
				this.logger.warn(
					`WeChat trigger: node "${node.name}" refused ${what} with HTTP ${rejection.status} (${rejection.reason}). ${rejection.fix} (Logged at most once a minute.)`,
				);
			}
			res.status(rejection.status).type('text/plain').send(rejection.reason);
			return { noWebhookResponse: true };
		};
		const acknowledge = (): IWebhookResponseData => {
			res.status(200).type('text/plain').send(ACKNOWLEDGEMENT);
			return { noWebhookResponse: true };
		};

		// The signed URL (timestamp + nonce) carries one request: remembered while its timestamp passes.
		const timestamp = String(query.timestamp);
		const signedUrl = `${timestamp}\n${String(query.nonce)}`;
		const windowEnd = (Number(timestamp) + maxTimestampAge + 1) * 1000;
		const urlExpiresAt = maxTimestampAge > 0 && Number.isFinite(windowEnd) ? windowEnd : now + DELIVERY_MAX_AGE_MS;

		if (isSetup) {
			const setup = await verified((account) => verifySetup(query, account, maxTimestampAge, nowSeconds));
			if (isRejection(setup)) return refuse(setup);
			// In plain mode a push is signed like this check, and the check's URL sits in access logs:
			// remembered, it can carry no push.
			triggerSignedUrls.remember(scope, signedUrl, URL_CHECK, now, urlExpiresAt);
			res.status(200).type('text/plain').send(setup.echostr);
			return { noWebhookResponse: true };
		}

		const rawBody = this.getRequestObject().rawBody;
		const inspected = inspectPush(query, rawBody);
		if (isRejection(inspected)) return refuse(inspected);
		const checks = { acceptPlainPushes: options.acceptPlainPushes === true, maxTimestampAge, nowSeconds };
		const push = await verified((account) => verifyPush(query, inspected, account, checks));
		if (isRejection(push)) return refuse(push);
		const outputNames = outputNamesFor(node.typeVersion);
		const routed = routePush(push.message, options.emitOtherEvents === true, node.typeVersion);
		if (routed !== undefined && isRejection(routed)) return refuse(routed);

		// One body per signed URL: the same body again is a retry. An encrypted push's verified
		// msg_signature already signs its body (the Encrypt text), so only a plain body is hashed
		// (one call, 32 bytes kept).
		const bodyFingerprint = inspected.mode === 'aes' ? String(query.msg_signature) : hash('sha256', rawBody ?? '', 'binary');
		if (triggerSignedUrls.remember(scope, signedUrl, bodyFingerprint, now, urlExpiresAt) === 'other') {
			return refuse({
				status: 409,
				reason: 'this signed URL (timestamp and nonce) already carried another request (another body, or WeChat\'s URL check)',
				final: true,
			});
		}
		if (routed === undefined) return acknowledge();
		const key = routed.deliveryKey;
		const earlier = triggerDeliveries.record(scope, key, now);
		if (earlier === 'recorded') return acknowledge();
		if (earlier === 'pending') {
			// Acknowledged now, it would be lost if n8n died before recording the first delivery.
			return refuse({ status: 503, reason: 'the first delivery of this event is still being recorded; try again', final: true });
		}
		// n8n answers once it has created the execution (or failed to): then the delivery is settled.
		const send = res.send.bind(res);
		res.send = ((body?: unknown) => {
			triggerDeliveries.settle(scope, key, res.statusCode < 400, Date.now());
			return send(body);
		}) as typeof res.send;

		const workflowData: INodeExecutionData[][] = outputNames.map(() => []);
		workflowData[routed.output].push({ json: routed.item as IDataObject });
		// n8n sends the description's responseData once it has created the execution.
		res.type('text/plain');
		return { workflowData };
	}
}

/** Version 3: the mass-send results (MASSSENDJOBFINISH) get the Sent and Not Sent outputs. */
export class WeChatOfficialAccountTriggerV3 extends WeChatOfficialAccountTriggerV1 {
	constructor() {
		super();
		const description: INodeTypeDescription = { ...this.description };
		// The versioned node's base description names the default version.
		delete description.defaultVersion;
		this.description = {
			...description,
			version: 3,
			subtitle:
				'={{ $parameter["options"]["emitOtherEvents"] ? "Publish and mass-send results, other messages" : "Publish and mass-send results" }}',
			description:
				'Starts the workflow when WeChat pushes the result of a publish job (PUBLISHJOBFINISH) or a mass send (MASSSENDJOBFINISH), branched by outcome',
			// A static list: an `outputs` expression would be evaluated on every push.
			outputs: OUTPUT_NAMES_V3.map(() => NodeConnectionTypes.Main),
			outputNames: [...OUTPUT_NAMES_V3],
			properties: description.properties.map((property) =>
				property.name === 'options' ? { ...property, options: property.options?.map(withMassSendWording) } : property,
			),
		};
	}
}

/** In version 3 mass-send results have outputs of their own: Emit Other Events no longer covers them. */
function withMassSendWording<T extends object>(option: T): T {
	if ((option as { name?: string }).name !== 'emitOtherEvents') return option;
	return {
		...option,
		description:
			'Whether messages other than publish and mass-send results (user messages, subscribe, menu clicks, ...) start the workflow on the Other output. Off: they are acknowledged and dropped.',
	};
}

const baseDescription: INodeTypeBaseDescription = {
	displayName: 'WeChat Official Account Trigger',
	name: 'weChatOfficialAccountTrigger',
	icon: { light: 'file:../WeChatOfficialAccount/wechat.svg', dark: 'file:../WeChatOfficialAccount/wechat.dark.svg' },
	group: ['trigger'],
	description:
		'Starts the workflow when WeChat pushes the result of a publish job (PUBLISHJOBFINISH) or a mass send (MASSSENDJOBFINISH), branched by outcome',
	defaultVersion: 3,
};

/**
 * The trigger's versions: 1 and 2 keep their four outputs, so saved workflows keep their
 * connections; version 3 (new nodes) adds Sent and Not Sent.
 */
export class WeChatOfficialAccountTrigger extends VersionedNodeType {
	constructor() {
		const publishResults = new WeChatOfficialAccountTriggerV1();
		super({ 1: publishResults, 2: publishResults, 3: new WeChatOfficialAccountTriggerV3() }, baseDescription);
	}
}
