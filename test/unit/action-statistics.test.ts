import type { IDataObject } from 'n8n-workflow';

import { WeChatOfficialAccount } from '../../nodes/WeChatOfficialAccount/WeChatOfficialAccount.node';
import { createExecuteFunctions } from '../helpers/executeFunctions';
import { WeChatSandbox } from '../sandbox';
import { credentialFor, runNode, runNodeError } from './action-harness';
import { beijingDay, engagementControl, publishTwoArticles } from './engagement-harness';

const statistics = (operation: string, startDate: string, endDate: string, extra: IDataObject = {}): IDataObject => ({
	resource: 'statistics',
	operation,
	startDate,
	endDate,
	...extra,
});

describe('WeChat Official Account node: Statistics', () => {
	let sandbox: WeChatSandbox;
	let published: string;
	const massSent = '2247499999';
	// Beyond 2^53: a JS number would round it.
	const bigId = '12345678901234567891';

	beforeAll(async () => {
		sandbox = await WeChatSandbox.start({ publish: { status: 0, delayMs: 20 } });
		published = await publishTwoArticles(sandbox, 'Stats');
		engagementControl(sandbox, 'backdate', { msg_data_id: published, published_on: beijingDay(-10) });
		engagementControl(sandbox, 'publication', { msg_data_id: massSent, publish_type: 0, published_on: beijingDay(-5), titles: ['Sent'] });
		engagementControl(sandbox, 'publication', { msg_data_id: bigId, publish_type: 0, published_on: beijingDay(-3), titles: ['Big'] });
	});

	afterAll(async () => {
		await sandbox.close();
	});

	beforeEach(() => {
		sandbox.resetCounts();
		engagementControl(sandbox, 'settings', { delayed: false });
	});

	it('getArticleDetails over 60 days: one item per article, IDs and article numbers exact, notified from publish_type, one request per day, said in a hint', async () => {
		const functions = createExecuteFunctions({
			parameters: statistics('getArticleDetails', beijingDay(-60), beijingDay(-1)),
			credentials: { weChatOfficialAccountApi: credentialFor(sandbox) },
		});
		const [items] = await new WeChatOfficialAccount().execute.call(functions);
		const byArticle = items.map(({ json }) => [json.msg_data_id, json.articleNumber, json.notified]);
		expect(byArticle).toEqual([
			[published, 1, false],
			[published, 2, false],
			[massSent, 1, true],
			[bigId, 1, true],
		]);
		for (const { json } of items) {
			expect(json.msgid).toBe(`${json.msg_data_id as string}_${json.articleNumber as number}`);
			expect(json).toMatchObject({ stat_date: beijingDay(-1), is_delay: false });
			for (const name of ['read_user', 'share_user', 'like_user', 'zaikan_user', 'comment_count', 'collection_user']) {
				expect(typeof json[name]).toBe('number');
			}
			expect(json.detail_list).toBeUndefined();
		}
		expect(items[0].json.ref_date).toBe(beijingDay(-10));
		expect(sandbox.count('/datacube/getarticletotaldetail')).toBe(60);
		expect(functions.hints.map((hint) => hint.message)).toEqual([expect.stringContaining('in 60 requests of 1 day')]);
	});

	it('getArticleDetails without Simplify keeps WeChat\'s whole entry: detail_list day by day, read sources', async () => {
		const items = await runNode(sandbox, statistics('getArticleDetails', beijingDay(-10), beijingDay(-10), { simplify: false }));
		expect(items).toHaveLength(2);
		const [first] = items;
		expect(first.json).toMatchObject({ msg_data_id: published, articleNumber: 1, notified: false, publish_type: 1, ref_date: beijingDay(-10), is_delay: false });
		const days = first.json.detail_list as IDataObject[];
		expect(days).toHaveLength(10);
		expect(days[9].stat_date).toBe(beijingDay(-1));
		expect(days[9].read_user_source).toEqual(expect.arrayContaining([{ scene_desc: '全部', user_count: days[9].read_user }]));
	});

	it('getDailyReads and getDailyShares: one item per day and article, counts as numbers', async () => {
		const reads = await runNode(sandbox, statistics('getDailyReads', beijingDay(-3), beijingDay(-2)));
		expect(reads.map(({ json }) => [json.ref_date, json.msg_data_id, json.articleNumber])).toEqual([
			[beijingDay(-3), published, 1],
			[beijingDay(-3), published, 2],
			[beijingDay(-3), massSent, 1],
			[beijingDay(-3), bigId, 1],
			[beijingDay(-2), published, 1],
			[beijingDay(-2), published, 2],
			[beijingDay(-2), massSent, 1],
			[beijingDay(-2), bigId, 1],
		]);
		for (const { json } of reads) expect(json.read_user).toEqual(expect.any(Number));
		expect(sandbox.count('/datacube/getarticleread')).toBe(2);
		const shares = await runNode(sandbox, statistics('getDailyShares', beijingDay(-3), beijingDay(-3), { simplify: false }));
		expect(shares.length).toBeGreaterThan(0);
		for (const { json } of shares) expect(json.detail).toEqual({ share_user: expect.any(Number) });
	});

	it('getSummary: one item per day with the headline numbers; is_delay surfaced', async () => {
		engagementControl(sandbox, 'settings', { delayed: true });
		const items = await runNode(sandbox, statistics('getSummary', beijingDay(-7), beijingDay(-1)));
		expect(items.map(({ json }) => json.ref_date)).toEqual([-7, -6, -5, -4, -3, -2, -1].map(beijingDay));
		expect(items[6].json).toMatchObject({ read_user: expect.any(Number), share_user: expect.any(Number), is_delay: true });
		const reads = await runNode(sandbox, statistics('getDailyReads', beijingDay(-2), beijingDay(-2)));
		const sum = reads.reduce((total, { json }) => total + (json.read_user as number), 0);
		expect(items[5].json.read_user).toBe(sum);
	});

	it('refuses a range ending today: WeChat serves data up to yesterday; nothing is asked', async () => {
		const error = await runNodeError(sandbox, statistics('getDailyReads', beijingDay(-2), beijingDay(0)));
		expect(error.message).toContain(`WeChat serves statistics up to yesterday (${beijingDay(-1)}, Beijing time)`);
		expect(sandbox.count('/datacube/getarticleread')).toBe(0);
	});

	it.each([
		['a start after the end', beijingDay(-1), beijingDay(-3), 'is after End Date'],
		['a date that is no date', 'next week', beijingDay(-3), 'is not a date'],
		['a start before WeChat keeps data', '2025-10-31', '2025-11-02', 'before 2025-11-01'],
	])('refuses %s with a clear message', async (_case, startDate, endDate, message) => {
		const error = await runNodeError(sandbox, statistics('getSummary', startDate, endDate));
		expect(error.message).toContain(message);
		expect(sandbox.count('/datacube/getbizsummary')).toBe(0);
	});
});
