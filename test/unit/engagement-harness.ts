/** A published two-article publication in the sandbox, through the node, for statistics and comment tests. */
import type { WeChatSandbox } from '../sandbox';
import { runNode, submitAndWait, uploadCover } from './action-harness';

/** Publishes two articles with comments open; their msg_data_id. */
export async function publishTwoArticles(sandbox: WeChatSandbox, title: string): Promise<string> {
	const cover = await uploadCover(sandbox);
	const article = (n: number) => ({ title: `${title} ${n}`, content: `<p>${title} ${n}</p>`, thumb_media_id: cover, need_open_comment: true });
	const [draft] = await runNode(sandbox, {
		resource: 'draft',
		operation: 'create',
		articlesInput: 'fields',
		articles: { article: [article(1), article(2)] },
	});
	const [published] = await runNode(sandbox, submitAndWait(draft.json.media_id as string));
	return published.json.msg_data_id as string;
}

/** The Beijing date `days` from today (negative: before), as WeChat's statistics count days. */
export function beijingDay(days: number): string {
	return new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

/** A control call on the sandbox's statistics and comments (as the control API would make it). */
export function engagementControl(sandbox: WeChatSandbox, what: string, json: Record<string, unknown>): unknown {
	return sandbox.engagement.control(`/sandbox/engagement/${what}`, json);
}
