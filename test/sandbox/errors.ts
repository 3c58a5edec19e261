import { randomBytes } from 'node:crypto';

/** An API failure as WeChat reports it: HTTP 200 with a non-zero errcode. */
export class WeChatApiError extends Error {
	constructor(
		readonly errcode: number,
		readonly errmsg: string,
	) {
		super(`${errcode} ${errmsg}`);
		this.name = 'WeChatApiError';
	}
}

export function fail(errcode: number, errmsg: string): never {
	throw new WeChatApiError(errcode, errmsg);
}

/** WeChat appends a request id to every errmsg, so clients must not match errmsg exactly. */
export function withRid(errmsg: string): string {
	const hex = randomBytes(12).toString('hex');
	return `${errmsg} rid: ${hex.slice(0, 8)}-${hex.slice(8, 16)}-${hex.slice(16)}`;
}
