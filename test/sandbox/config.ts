/** What the sandbox emulates, and how; every field can be changed while it runs. */
export interface SandboxConfig {
	appId: string;
	appSecret: string;
	/** The callback Token of the platform's server settings. */
	token: string;
	/** The 43-character EncodingAESKey of the platform's server settings. */
	encodingAesKey: string;
	/** Tokens older than this answer 42001. Fractions of a second keep tests fast. */
	tokenLifetimeSeconds: number;
	/** A new classic token (or a forced stable refresh) leaves the previous one valid this long, then 40001. */
	classicGraceSeconds: number;
	/** WeChat's limits on `stable_token` with `force_refresh: true`: calls a day, seconds apart. */
	stableForceRefresh: { perDay: number; intervalSeconds: number };
	/** false: `freepublish/submit` answers 48001, as for an unverified account. */
	canPublish: boolean;
	/** Outcome and delay of the jobs of the next submits; failIdx (1-based) for status 2 and 4, default all articles. */
	publish: { status: number; failIdx?: number[]; delayMs: number };
	/** The first publish_id issued (a string of digits; above 2^53 to test ID precision). */
	publishIdStart: string;
	/** Where PUBLISHJOBFINISH is pushed; unset, nothing is pushed. */
	callback?: { url: string; mode: PushMode };
	/** Extra identical deliveries of each push, as WeChat's retries produce. */
	duplicatePushes: number;
	/** WeChat waits 5 s for the callback's answer before it retries. */
	pushTimeoutMs: number;
	/**
	 * A third-party platform (开放平台 第三方平台) this account authorized: its component AppID and
	 * secret, the component_verify_ticket WeChat last pushed to it, and the account's
	 * authorizer_refresh_token. Used by /cgi-bin/component/*.
	 */
	component: { appId: string; appSecret: string; verifyTicket: string; authorizerRefreshToken: string };
	/** Mass send (群发) and preview: see massSend.ts. */
	massSend: MassSendConfig;
}

/** How the emulated account mass-sends (test/sandbox/massSend.ts). */
export interface MassSendConfig {
	/** A subscription account may send once a day; a service account to all once a day, four sends in all. */
	accountType: 'subscription' | 'service';
	/** false: sendall and preview answer 48001, as for personal and unverified accounts. */
	allowed: boolean;
	/** The audience of a send to all. */
	followers: number;
	/** The account's tags (tags/get), `count` followers each. */
	tags: Array<{ id: number; name: string; count: number }>;
	/** How the next sends end: `send success`, `send fail` or `err(N)`. */
	outcome: string;
	/** How long a send stays `sending`. */
	delayMs: number;
	/** API mass-send protection (API群发保护): a send to all waits `delayMs` more for an administrator, who confirms or not. */
	protection: { enabled: boolean; confirm: boolean; delayMs: number };
	/** The first msg_id issued (digits; 19 digits test ID precision). */
	msgIdStart: string;
	/** Today, as the quota counts it: another value is a new day. */
	day: number;
	/** The same clientmsgid again within this many ms answers 45066 (0: never). */
	clientMsgIdMinIntervalMs: number;
	/**
	 * Where MASSSENDJOBFINISH goes instead of `callback`. WeChat has one server URL per account;
	 * this lets the demo run a publish-result workflow and a mass-send workflow side by side.
	 */
	callback?: { url: string; mode: PushMode };
}

export const PUSH_MODES = ['plain', 'compatible', 'safe'] as const;
export type PushMode = (typeof PUSH_MODES)[number];

export type Fault =
	| { errcode: number; errmsg?: string }
	| { httpStatus: number; body?: string; location?: string }
	| { html: true }
	| { reset: true }
	| { delayMs: number }
	/** The call is carried out, then the socket is destroyed: a write whose answer never comes. */
	| { dropAnswer: true };

export const SANDBOX_DEFAULTS: SandboxConfig = Object.freeze({
	appId: 'wx0123456789abcdef',
	appSecret: 'sandbox-app-secret-0123456789abcdef',
	token: 'sandboxcallbacktoken',
	encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
	tokenLifetimeSeconds: 7200,
	classicGraceSeconds: 300,
	stableForceRefresh: Object.freeze({ perDay: 20, intervalSeconds: 30 }),
	canPublish: true,
	publish: Object.freeze({ status: 0, delayMs: 1000 }),
	publishIdStart: '2247503051',
	duplicatePushes: 0,
	pushTimeoutMs: 5000,
	component: Object.freeze({
		appId: 'wx0c0mp0nent0000001',
		appSecret: 'sandbox-component-secret-0123456789ab',
		verifyTicket: 'ticket@@@sandbox-verify-ticket-0123456789',
		authorizerRefreshToken: 'refreshtoken@@@sandbox-authorizer-0123456789',
	}),
	massSend: Object.freeze({
		accountType: 'subscription',
		allowed: true,
		followers: 1200,
		tags: [
			{ id: 2, name: '星标组', count: 0 },
			{ id: 100, name: 'Readers 读者', count: 320 },
		],
		outcome: 'send success',
		delayMs: 1000,
		protection: Object.freeze({ enabled: false, confirm: true, delayMs: 3000 }),
		msgIdStart: '1000000001',
		day: 1,
		clientMsgIdMinIntervalMs: 0,
	}),
}) as SandboxConfig;

/** A patch for `configure`: `callback: null` removes the callback (JSON has no undefined); its mode defaults to plain. */
export type ConfigPatch = Partial<Omit<SandboxConfig, 'callback' | 'publish' | 'stableForceRefresh' | 'massSend'>> & {
	callback?: { url: string; mode?: PushMode } | null;
	massSend?: Partial<Omit<MassSendConfig, 'protection'>> & { protection?: Partial<MassSendConfig['protection']> };
	publish?: Partial<SandboxConfig['publish']>;
	stableForceRefresh?: Partial<SandboxConfig['stableForceRefresh']>;
};

/** Applies a patch in place; nested objects merge, so `{ publish: { status: 2 } }` keeps the delay. */
export function applyConfigPatch(config: SandboxConfig, patch: ConfigPatch): void {
	const { callback, publish, stableForceRefresh, massSend, ...flat } = patch;
	for (const [key, value] of Object.entries(flat)) {
		if (value !== undefined) (config as unknown as Record<string, unknown>)[key] = value;
	}
	if (publish) config.publish = { ...config.publish, ...publish };
	if (stableForceRefresh) {
		config.stableForceRefresh = { ...config.stableForceRefresh, ...stableForceRefresh };
	}
	if (massSend) {
		const protection = { ...config.massSend.protection, ...massSend.protection };
		config.massSend = { ...config.massSend, ...massSend, protection };
	}
	if (callback === null) delete config.callback;
	else if (callback) config.callback = { mode: 'plain', ...callback };
}

export function initialConfig(patch: ConfigPatch = {}): SandboxConfig {
	const config: SandboxConfig = {
		...SANDBOX_DEFAULTS,
		publish: { ...SANDBOX_DEFAULTS.publish },
		stableForceRefresh: { ...SANDBOX_DEFAULTS.stableForceRefresh },
		component: { ...SANDBOX_DEFAULTS.component },
		massSend: { ...SANDBOX_DEFAULTS.massSend, protection: { ...SANDBOX_DEFAULTS.massSend.protection } },
	};
	applyConfigPatch(config, patch);
	return config;
}

/** The config as the control API shows it: never the AppSecret, nor the component's secrets. */
export function publicConfig(config: SandboxConfig): Omit<SandboxConfig, 'appSecret' | 'component'> & { component: { appId: string } } {
	const shown: Partial<SandboxConfig> = { ...config, component: undefined };
	delete shown.appSecret;
	return { ...(shown as Omit<SandboxConfig, 'appSecret' | 'component'>), component: { appId: config.component.appId } };
}
