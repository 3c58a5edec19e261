import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { SandboxConfig } from './config';

/**
 * A third-party platform's token service, as the recipe in docs/ARCHITECTURE.md describes it, on
 * 127.0.0.1: it holds the component secret and the component_verify_ticket, fetches
 * component_access_token and authorizer_access_token from the sandbox's /cgi-bin/component/
 * endpoints, and hands authorizer tokens out at `GET /token?appid=<authorizer>` (add
 * `force_refresh=1` for a new one) to callers presenting its header secret.
 */

export interface TokenServiceOptions {
	/** The WeChat sandbox the service fetches from. */
	wechatUrl: string;
	/** The platform's component credentials and the accounts that authorized it (their refresh tokens). */
	component: SandboxConfig['component'];
	authorizers: Record<string, string>;
	headerName?: string;
	headerValue?: string;
	/** The JSON field the token is answered in. */
	responseField?: string;
	/** Leave `expires_in` out of the answers (callers then use their default). */
	omitExpiresIn?: boolean;
}

export interface TokenServiceStats {
	/** Requests to /token, forced or not, refused or not. */
	requests: number;
	forcedRefreshes: number;
	/** Requests refused for a missing or wrong header secret. */
	refused: number;
	/** Calls the service made to WeChat's component endpoints. */
	componentTokenFetches: number;
	authorizerTokenFetches: number;
}

interface CachedToken {
	token: string;
	expiresAt: number;
}

export const TOKEN_SERVICE_HEADER = 'X-Token-Service-Key';
export const TOKEN_SERVICE_SECRET = 'sandbox-token-service-key-0123456789';

export class SandboxTokenService {
	readonly stats: TokenServiceStats = {
		requests: 0,
		forcedRefreshes: 0,
		refused: 0,
		componentTokenFetches: 0,
		authorizerTokenFetches: 0,
	};
	private componentToken?: CachedToken;
	private readonly authorizerTokens = new Map<string, CachedToken>();
	/** One fetch per authorizer at a time: concurrent callers share it. */
	private readonly inFlight = new Map<string, Promise<CachedToken>>();
	private baseUrl = '';

	private constructor(
		private readonly options: TokenServiceOptions,
		private readonly server: Server,
	) {
		server.on('request', (req: IncomingMessage, res: ServerResponse) => {
			this.handle(req).then(
				({ status, body }) => res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify(body)),
				(error: Error) => res.writeHead(500, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: error.message })),
			);
		});
	}

	static async start(options: TokenServiceOptions): Promise<SandboxTokenService> {
		const server = createServer();
		const service = new SandboxTokenService(
			{ headerName: TOKEN_SERVICE_HEADER, headerValue: TOKEN_SERVICE_SECRET, responseField: 'authorizer_access_token', ...options },
			server,
		);
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(0, '127.0.0.1', () => resolve());
		});
		service.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		return service;
	}

	/** The service for the sandbox's own account, with the sandbox's platform. */
	static async forSandbox(
		sandbox: { url: string; config: SandboxConfig },
		options: Partial<TokenServiceOptions> = {},
	): Promise<SandboxTokenService> {
		return await SandboxTokenService.start({
			wechatUrl: sandbox.url,
			component: sandbox.config.component,
			authorizers: { [sandbox.config.appId]: sandbox.config.component.authorizerRefreshToken },
			...options,
		});
	}

	/** The URL a credential's Service URL names. */
	get tokenUrl(): string {
		return `${this.baseUrl}/token`;
	}

	async close(): Promise<void> {
		await new Promise<void>((resolve) => {
			this.server.close(() => resolve());
			this.server.closeAllConnections();
		});
	}

	private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
		const url = new URL(req.url ?? '/', 'http://service.invalid');
		if (url.pathname !== '/token' || req.method !== 'GET') return { status: 404, body: { error: 'not found' } };
		this.stats.requests++;
		const { headerName, headerValue, responseField, omitExpiresIn } = this.options;
		if (headerName && req.headers[headerName.toLowerCase()] !== headerValue) {
			this.stats.refused++;
			return { status: 401, body: { error: `missing or wrong ${headerName} header` } };
		}
		const appId = url.searchParams.get('appid') ?? '';
		if (!(appId in this.options.authorizers)) {
			return { status: 404, body: { error: `${appId || 'no appid'} has not authorized this platform` } };
		}
		const force = url.searchParams.get('force_refresh') === '1';
		if (force) this.stats.forcedRefreshes++;
		const cached = this.authorizerTokens.get(appId);
		const token = !force && cached && cached.expiresAt > Date.now() ? cached : await this.refreshAuthorizer(appId);
		const expiresIn = Math.max(1, Math.floor((token.expiresAt - Date.now()) / 1000));
		return { status: 200, body: { [responseField!]: token.token, ...(omitExpiresIn ? {} : { expires_in: expiresIn }) } };
	}

	private async refreshAuthorizer(appId: string): Promise<CachedToken> {
		let pending = this.inFlight.get(appId);
		if (!pending) {
			pending = this.fetchAuthorizer(appId).finally(() => this.inFlight.delete(appId));
			this.inFlight.set(appId, pending);
		}
		return await pending;
	}

	/** api_authorizer_token with the component token; a refused component token is replaced once. */
	private async fetchAuthorizer(appId: string): Promise<CachedToken> {
		for (let attempt = 0; ; attempt++) {
			const componentToken = await this.componentAccessToken(attempt > 0);
			this.stats.authorizerTokenFetches++;
			const answer = await this.post(`/cgi-bin/component/api_authorizer_token?component_access_token=${encodeURIComponent(componentToken)}`, {
				component_appid: this.options.component.appId,
				authorizer_appid: appId,
				authorizer_refresh_token: this.options.authorizers[appId],
			});
			if ([40001, 40014, 42001].includes(Number(answer.errcode)) && attempt === 0) continue;
			const token = this.read(answer, 'authorizer_access_token');
			this.authorizerTokens.set(appId, token);
			return token;
		}
	}

	private async componentAccessToken(force: boolean): Promise<string> {
		if (!force && this.componentToken && this.componentToken.expiresAt > Date.now()) return this.componentToken.token;
		this.stats.componentTokenFetches++;
		const { appId, appSecret, verifyTicket } = this.options.component;
		const answer = await this.post('/cgi-bin/component/api_component_token', {
			component_appid: appId,
			component_appsecret: appSecret,
			component_verify_ticket: verifyTicket,
		});
		this.componentToken = this.read(answer, 'component_access_token');
		return this.componentToken.token;
	}

	private read(answer: Record<string, unknown>, field: string): CachedToken {
		const token = answer[field];
		if (typeof token !== 'string') throw new Error(`WeChat answered errcode ${String(answer.errcode)} (${String(answer.errmsg)})`);
		return { token, expiresAt: Date.now() + Number(answer.expires_in) * 1000 };
	}

	private async post(path: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
		const response = await fetch(`${this.options.wechatUrl}${path}`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify(body),
		});
		return (await response.json()) as Record<string, unknown>;
	}
}
