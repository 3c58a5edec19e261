import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import type { CallbackAccount } from './callback';

/**
 * How long the trigger trusts a credential it read. Reading it is n8n's costliest step of a
 * request (a database query, decryption, and an expression isolate to resolve its fields: more
 * CPU than the rest of the request and the NoOp run together, measured on n8n 2.41), so it is not
 * read per request. A changed Token or EncodingAESKey is read at once by the first request it
 * would refuse; this bound is how long an old one can still be accepted after a change.
 */
export const ACCOUNT_MAX_AGE_MS = 10_000;
/**
 * A refused request reads the credential again (it may have just changed), but not sooner than
 * this after the last read: a flood of forged requests must not cost a credential read each.
 */
export const ACCOUNT_REREAD_INTERVAL_MS = 1_000;
/** Trigger nodes remembered at once; the least recently read is forgotten first. */
const MAX_ACCOUNTS = 1_000;

interface Entry {
	account: Promise<CallbackAccount>;
	/** The account once read: the common case needs no promise. */
	resolved?: CallbackAccount;
	readAt: number;
}

export function toCallbackAccount(credentials: ICredentialDataDecryptedObject): CallbackAccount {
	return {
		appId: String(credentials.appId ?? ''),
		token: String(credentials.token ?? ''),
		encodingAesKey: String(credentials.encodingAesKey ?? ''),
	};
}

/** The callback side of each trigger node's credential, read at most every ACCOUNT_MAX_AGE_MS. */
export class AccountCache {
	private readonly entries = new Map<string, Entry>();

	constructor(
		private readonly maxAgeMs = ACCOUNT_MAX_AGE_MS,
		private readonly maxEntries = MAX_ACCOUNTS,
		private readonly rereadIntervalMs = ACCOUNT_REREAD_INTERVAL_MS,
	) {}

	/** The account cached under `key` when it is read and younger than the bound; else undefined (call get). */
	fresh(key: string, now: number): CallbackAccount | undefined {
		const entry = this.entries.get(key);
		return entry !== undefined && now - entry.readAt < this.maxAgeMs ? entry.resolved : undefined;
	}

	/** The account cached under `key` at `now` (ms), or one `read` afresh when none is younger than the bound. */
	async get(key: string, now: number, read: () => Promise<CallbackAccount>): Promise<CallbackAccount> {
		const entry = this.entries.get(key);
		if (entry !== undefined && now - entry.readAt < this.maxAgeMs) return await entry.account;
		return await this.refresh(key, now, read);
	}

	/** After a refusal: the account read again, unless the last read is younger than the reread interval. */
	async reread(key: string, now: number, read: () => Promise<CallbackAccount>): Promise<CallbackAccount> {
		const entry = this.entries.get(key);
		if (entry !== undefined && now - entry.readAt < this.rereadIntervalMs) return await entry.account;
		return await this.refresh(key, now, read);
	}

	/** Reads the account again; requests arriving meanwhile share this read. A failed read is not kept. */
	private async refresh(key: string, now: number, read: () => Promise<CallbackAccount>): Promise<CallbackAccount> {
		const entry: Entry = { account: read(), readAt: now };
		this.entries.delete(key);
		this.entries.set(key, entry);
		if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
		entry.account.then(
			(account) => void (entry.resolved = account),
			() => {
				if (this.entries.get(key) === entry) this.entries.delete(key);
			},
		);
		return await entry.account;
	}
}

/** Shared by every trigger node of this process. */
export const callbackAccounts = new AccountCache();
