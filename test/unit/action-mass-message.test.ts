import type { IDataObject } from 'n8n-workflow';

import { WeChatOfficialAccount } from '../../nodes/WeChatOfficialAccount/WeChatOfficialAccount.node';
import { deriveClientMsgId } from '../../nodes/WeChatOfficialAccount/actions/massMessage/clientMsgId';
import { WeChatSandbox } from '../sandbox';
import { createDrafts, loadOptionsFunctions, runNode, runNodeError, uploadCover } from './action-harness';

const SENDALL = '/cgi-bin/message/mass/sendall';

function send(mediaId: string, extra: IDataObject = {}): IDataObject {
	return { resource: 'massMessage', operation: 'send', mediaId: { __rl: true, mode: 'id', value: mediaId }, ...extra };
}

/** A production execution (a trigger started it): Send really sends. */
const production = { mode: 'trigger' };

describe('WeChat Official Account node: Mass Message', () => {
	let sandbox: WeChatSandbox;
	let cover: string;
	let day = 1;

	beforeAll(async () => {
		sandbox = await WeChatSandbox.start({ massSend: { delayMs: 50 } });
		cover = await uploadCover(sandbox);
	});

	afterAll(async () => {
		await sandbox.close();
	});

	beforeEach(() => {
		sandbox.resetCounts();
		sandbox.clearFaults();
		// A new day for each test: the subscription account's one send a day is always there.
		sandbox.configure({ massSend: { day: ++day, accountType: 'subscription', allowed: true, outcome: 'send success', msgIdStart: String(1000000001 + day * 1000) } });
	});

	async function draft(title = 'Mass send'): Promise<string> {
		const [mediaId] = await createDrafts(sandbox, cover, [title]);
		return mediaId;
	}

	it('sends a draft to all followers with a derived clientmsgid', async () => {
		const mediaId = await draft();
		const [item] = await runNode(sandbox, send(mediaId), production);
		expect(item.json).toEqual({
			msg_id: expect.stringMatching(/^\d+$/),
			msg_data_id: expect.stringMatching(/^\d+$/),
			media_id: mediaId,
			clientmsgid: deriveClientMsgId(mediaId, 'all', false),
			alreadySent: false,
		});
		expect(Buffer.byteLength(item.json.clientmsgid as string)).toBeLessThanOrEqual(64);
		const [recorded] = sandbox.snapshot().massSends as IDataObject[];
		expect(recorded).toMatchObject({ toAll: true, clientMsgId: item.json.clientmsgid, sendIgnoreReprint: false });
	});

	it('refuses to send from a manual execution before any call, unless Send From Editor is on', async () => {
		const mediaId = await draft();
		const error = await runNodeError(sandbox, send(mediaId));
		expect(error.message).toBe('Mass Message → Send does not send from a manual execution: nothing was sent');
		expect(error.description).toContain('Mass Message → Preview');
		expect(sandbox.count(SENDALL)).toBe(0);
		const [item] = await runNode(sandbox, send(mediaId, { options: { sendFromEditor: true } }));
		expect(item.json.alreadySent).toBe(false);
		expect(sandbox.count(SENDALL)).toBe(1);
	});

	it('after an answer that never came, says a re-run is safe; the re-run sends nothing new and reports alreadySent', async () => {
		const mediaId = await draft();
		sandbox.injectFault(SENDALL, { dropAnswer: true });
		const lost = await runNodeError(sandbox, send(mediaId), production);
		expect(lost.message).toMatch(/outcome is unknown/);
		expect(lost.message).toMatch(/Running it again is safe .* clientmsgid "n8n-[0-9a-f]{40}"/);
		expect(sandbox.count(SENDALL)).toBe(1);
		const [again] = await runNode(sandbox, send(mediaId), production);
		const sends = sandbox.snapshot().massSends as IDataObject[];
		const earlier = sends.find((entry) => entry.mediaId === mediaId)!;
		expect(again.json).toMatchObject({ msg_id: earlier.msgId, alreadySent: true, media_id: mediaId });
		expect(sends.filter((entry) => entry.mediaId === mediaId)).toHaveLength(1);
	});

	it('sends to a tag picked from the list, which shows follower counts', async () => {
		const node = new WeChatOfficialAccount();
		const list = await node.methods.listSearch.searchTags.call(loadOptionsFunctions(sandbox), 'read');
		expect(list.results).toEqual([{ name: 'Readers 读者 · 320 followers', value: '100' }]);
		const mediaId = await draft();
		const [item] = await runNode(sandbox, send(mediaId, { recipients: 'tag', tagId: { __rl: true, mode: 'list', value: '100' } }), production);
		expect(item.json.clientmsgid).toBe(deriveClientMsgId(mediaId, 'tag:100', false));
		const error = await runNodeError(sandbox, send(mediaId, { recipients: 'tag', tagId: { __rl: true, mode: 'id', value: 'readers' } }), production);
		expect(error.message).toBe('The tag ID must be a whole number, not "readers"');
	});

	it('waits for the result and keeps a 19-digit msg_id exactly', async () => {
		sandbox.configure({ massSend: { msgIdStart: '9223372036854775001' } });
		const [item] = await runNode(sandbox, send(await draft(), { options: { waitForResult: true, pollInterval: 1, waitTimeout: 10 } }), production);
		expect(item.json).toMatchObject({ msg_id: '9223372036854775001', msg_status: 'SEND_SUCCESS', status: 'sent', alreadySent: false });
		const [status] = await runNode(sandbox, { resource: 'massMessage', operation: 'get', msgId: '9223372036854775001' });
		expect(status.json).toEqual({ msg_id: '9223372036854775001', msg_status: 'SEND_SUCCESS', status: 'sent' });
	});

	it('explains 45028 (quota), 48001 (account) and 40007 (a sent draft left the draft box)', async () => {
		const mediaId = await draft();
		await runNode(sandbox, send(mediaId), production);
		const quota = await runNodeError(sandbox, send(await draft('second')), production);
		expect(quota.message).toMatch(/^WeChat error 45028: No mass-send quota left .*subscription account \(订阅号\) may mass-send once a day/);
		await sandbox.idle();
		sandbox.configure({ massSend: { day: 1000 + day } });
		const gone = await runNodeError(sandbox, send(mediaId, { options: { clientMsgId: 'another' } }), production);
		expect(gone.message).toMatch(/^WeChat error 40007: .*mass-sent or published has left the draft box/);
		sandbox.configure({ massSend: { allowed: false } });
		const unauthorised = await runNodeError(sandbox, send(await draft('third')), production);
		expect(unauthorised.message).toMatch(/^WeChat error 48001: .*mass sending \(群发\) and preview need a verified account.*by hand from 草稿箱/);
	});

	it('refuses under Retry On Fail and a Client Msg ID over 64 bytes, before any call', async () => {
		const mediaId = await draft();
		const retry = await runNodeError(sandbox, send(mediaId), { ...production, node: { retryOnFail: true } });
		expect(retry.message).toMatch(/^Mass Message → Send writes to WeChat, and this node has Retry On Fail on/);
		const long = await runNodeError(sandbox, send(mediaId, { options: { clientMsgId: '群'.repeat(22) } }), production);
		expect(long.message).toBe('The Client Msg ID is 66 bytes long; WeChat takes at most 64: nothing was sent');
		expect(sandbox.count(SENDALL)).toBe(0);
	});

	it('a failed send, waited for, ends failed', async () => {
		sandbox.configure({ massSend: { outcome: 'err(10001)' } });
		const [item] = await runNode(sandbox, send(await draft(), { options: { waitForResult: true, pollInterval: 1 } }), production);
		expect(item.json).toMatchObject({ status: 'failed', msg_status: 'SEND_FAIL' });
	});

	it('previews to a WeChat ID or an OpenID', async () => {
		const mediaId = await draft();
		const [byId] = await runNode(sandbox, { resource: 'massMessage', operation: 'preview', mediaId, previewTo: 'wechatId', recipient: 'reviewer' });
		expect(byId.json).toEqual({ msg_id: expect.stringMatching(/^\d+$/), media_id: mediaId });
		await runNode(sandbox, { resource: 'massMessage', operation: 'preview', mediaId, previewTo: 'openId', recipient: 'oReviewer' });
		expect((sandbox.snapshot().previews as IDataObject[]).slice(-2)).toEqual([
			expect.objectContaining({ towxname: 'reviewer', mediaId }),
			expect.objectContaining({ touser: 'oReviewer', mediaId }),
		]);
	});

	it('deletes one article, or all only when asked', async () => {
		const [item] = await runNode(sandbox, send(await draft()), production);
		await sandbox.idle();
		const msgId = item.json.msg_id as string;
		const [one] = await runNode(sandbox, { resource: 'massMessage', operation: 'delete', msgId, deleteScope: 'one', articleNumber: 1 });
		expect(one.json).toEqual({ success: true, msg_id: msgId, deleted: 1 });
		const [status] = await runNode(sandbox, { resource: 'massMessage', operation: 'get', msgId });
		expect(status.json.status).toBe('deleted');
		const [all] = await runNode(sandbox, { resource: 'massMessage', operation: 'delete', msgId, deleteScope: 'all' });
		expect(all.json).toEqual({ success: true, msg_id: msgId, deleted: 'all' });
		const bad = await runNodeError(sandbox, { resource: 'massMessage', operation: 'delete', msgId, deleteScope: 'one', articleNumber: 0 });
		expect(bad.message).toMatch(/^Article Number must be a whole number from 1/);
	});
});
