import { makePng } from '../../fixtures/images';
import type { WeChatSandbox } from '../../sandbox';

/**
 * The sandbox's WeChat API called directly, as another client of the account would (drafts and
 * sends made outside n8n): a stable token first, every answer checked for errcode 0.
 */
export class SandboxApi {
	private accessToken = '';

	private constructor(private readonly sandbox: WeChatSandbox) {}

	/** Signs in with the sandbox's AppID and AppSecret (stable_token). */
	static async signIn(sandbox: WeChatSandbox): Promise<SandboxApi> {
		const api = new SandboxApi(sandbox);
		const { appId, appSecret } = sandbox.config;
		const { access_token: token } = await api.call('/cgi-bin/stable_token', { grant_type: 'client_credential', appid: appId, secret: appSecret });
		api.accessToken = String(token);
		return api;
	}

	/** A POST (JSON, or multipart for FormData); throws on an errcode other than 0. */
	async call(apiPath: string, body: unknown): Promise<Record<string, unknown>> {
		const url = new URL(apiPath, this.sandbox.url);
		if (this.accessToken) url.searchParams.set('access_token', this.accessToken);
		const init = body instanceof FormData ? { method: 'POST', body } : { method: 'POST', body: JSON.stringify(body) };
		const answer = (await (await fetch(url, init)).json()) as Record<string, unknown>;
		if ((answer.errcode ?? 0) !== 0) throw new Error(`${apiPath}: ${JSON.stringify(answer)}`);
		return answer;
	}

	/** Uploads the test PNG as permanent image material: its media_id, for thumb_media_id. */
	async uploadCover(): Promise<string> {
		const form = new FormData();
		form.append('media', new Blob([makePng()], { type: 'image/png' }), 'cover.png');
		return String((await this.call('/cgi-bin/material/add_material?type=image', form)).media_id);
	}
}
