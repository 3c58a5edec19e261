import { randomBytes } from 'node:crypto';

import type { SandboxConfig } from './config';
import { fail } from './errors';

type TokenKind = 'classic' | 'stable' | 'component' | 'authorizer';

interface IssuedToken {
	kind: TokenKind;
	expiresAt: number;
	/** Set when a newer token of the same kind replaced it: valid until then, 40001 after. */
	supersededUntil?: number;
}

export interface TokenGrant {
	access_token: string;
	expires_in: number;
}

/**
 * Classic and stable access tokens, with WeChat's lifetimes, grace periods and refresh limits; and
 * a third-party platform's component_access_token and the authorizer_access_token it gets for
 * this account, which the API accepts like an access token.
 */
export class TokenStore {
	private readonly tokens = new Map<string, IssuedToken>();
	private currentClassic?: string;
	private currentStable?: string;
	private currentComponent?: string;
	private currentAuthorizer?: string;
	private forcedRefreshes: number[] = [];
	readonly issued = { stable: 0, classic: 0, component: 0, authorizer: 0 };
	invalidated = 0;

	constructor(
		private readonly config: SandboxConfig,
		private readonly now: () => number = Date.now,
	) {}

	/** GET /cgi-bin/token: every call issues a new token and retires the previous one. */
	classic(): TokenGrant {
		this.currentClassic = this.issue('classic', this.currentClassic);
		return this.grant(this.currentClassic);
	}

	/** POST /cgi-bin/stable_token: the same token while it lives, unless a (rate-limited) forced refresh. */
	stable(forceRefresh: boolean): TokenGrant {
		const current = this.currentStable && this.tokens.get(this.currentStable);
		const alive = current && current.expiresAt > this.now();
		if (alive && !forceRefresh) return this.grant(this.currentStable!);
		if (alive && forceRefresh) this.checkForcedRefreshLimits();
		this.currentStable = this.issue('stable', alive ? this.currentStable : undefined);
		return this.grant(this.currentStable);
	}

	/** POST /cgi-bin/component/api_component_token: a new component_access_token each time. */
	component(): { component_access_token: string; expires_in: number } {
		this.currentComponent = this.issue('component', this.currentComponent);
		const { access_token, expires_in } = this.grant(this.currentComponent);
		return { component_access_token: access_token, expires_in };
	}

	/** POST /cgi-bin/component/api_authorizer_token: a new authorizer_access_token; the previous one keeps its grace. */
	authorizer(): { authorizer_access_token: string; expires_in: number } {
		this.currentAuthorizer = this.issue('authorizer', this.currentAuthorizer);
		const { access_token, expires_in } = this.grant(this.currentAuthorizer);
		return { authorizer_access_token: access_token, expires_in };
	}

	/** Throws the errcode WeChat gives for a token that cannot be used (`kind` component: only a component token). */
	check(token: string | undefined, kind: 'access' | 'component' = 'access'): void {
		if (!token) fail(41001, 'access_token missing');
		const issued = this.tokens.get(token);
		if (!issued || (issued.kind === 'component') !== (kind === 'component')) {
			fail(40001, 'invalid credential, access_token is invalid or not latest');
		}
		const now = this.now();
		if (issued.expiresAt <= now) fail(42001, 'access_token expired');
		if (issued.supersededUntil !== undefined && issued.supersededUntil <= now) {
			fail(40001, 'invalid credential, access_token is invalid or not latest');
		}
	}

	/** Every token issued so far now answers 42001. */
	expireAll(): void {
		const now = this.now();
		for (const issued of this.tokens.values()) {
			// A superseded token was counted when it was superseded.
			if (issued.expiresAt > now && issued.supersededUntil === undefined) this.invalidated++;
			issued.expiresAt = now;
		}
	}

	private checkForcedRefreshLimits(): void {
		const now = this.now();
		const { perDay, intervalSeconds } = this.config.stableForceRefresh;
		this.forcedRefreshes = this.forcedRefreshes.filter((at) => at > now - 86_400_000);
		const last = this.forcedRefreshes[this.forcedRefreshes.length - 1];
		if (this.forcedRefreshes.length >= perDay || (last !== undefined && now - last < intervalSeconds * 1000)) {
			fail(45011, 'api minute-quota reach limit  mustslower  retry next minute');
		}
		this.forcedRefreshes.push(now);
	}

	private issue(kind: TokenKind, previous: string | undefined): string {
		const now = this.now();
		if (previous) {
			const old = this.tokens.get(previous);
			if (old && old.expiresAt > now && old.supersededUntil === undefined) {
				old.supersededUntil = now + this.config.classicGraceSeconds * 1000;
				this.invalidated++;
			}
		}
		// Real tokens are long opaque strings of letters, digits, '-' and '_'.
		const token = randomBytes(102).toString('base64url');
		this.tokens.set(token, { kind, expiresAt: now + this.config.tokenLifetimeSeconds * 1000 });
		this.issued[kind]++;
		return token;
	}

	private grant(token: string): TokenGrant {
		const remaining = this.tokens.get(token)!.expiresAt - this.now();
		return { access_token: token, expires_in: Math.max(1, Math.ceil(remaining / 1000)) };
	}
}
