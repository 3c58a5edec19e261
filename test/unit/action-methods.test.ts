import { WeChatOfficialAccount } from '../../nodes/WeChatOfficialAccount/WeChatOfficialAccount.node';
import { WeChatSandbox } from '../sandbox';
import { createDrafts, loadOptionsFunctions, runNode, uploadCover } from './action-harness';

const node = new WeChatOfficialAccount();
const { searchDrafts } = node.methods.listSearch;

describe('WeChat Official Account node: methods', () => {
	let sandbox: WeChatSandbox;
	let cover: string;

	beforeAll(async () => {
		sandbox = await WeChatSandbox.start({ publish: { status: 0, delayMs: 20 } });
		cover = await uploadCover(sandbox);
	});

	afterAll(async () => {
		await sandbox.close();
	});

	describe('draft list search', () => {
		let drafts: Map<string, string>;

		beforeAll(async () => {
			const titles = Array.from({ length: 25 }, (_, n) => (n % 2 === 0 ? `Weekly digest ${n}` : `Product news ${n}`));
			const mediaIds = await createDrafts(sandbox, cover, titles);
			drafts = new Map(mediaIds.map((mediaId, n) => [mediaId, titles[n]]));
		});

		it('pages through all drafts 20 at a time, newest first, naming title and update time', async () => {
			const context = loadOptionsFunctions(sandbox);
			const first = await searchDrafts.call(context);
			expect(first.results).toHaveLength(20);
			expect(first.paginationToken).toBe('20');
			const second = await searchDrafts.call(context, undefined, first.paginationToken);
			expect(second.results).toHaveLength(5);
			expect(second.paginationToken).toBeUndefined();

			const all = [...first.results, ...second.results];
			expect(new Set(all.map((result) => result.value))).toEqual(new Set(drafts.keys()));
			for (const result of all) {
				const title = drafts.get(result.value as string)!;
				expect(result.name).toMatch(new RegExp(`^${title} · updated \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}$`));
			}
			expect(first.results[0].name).toMatch(/^Weekly digest 24 · /);
		});

		it('filters by title, case-insensitively, page by page', async () => {
			const context = loadOptionsFunctions(sandbox);
			const first = await searchDrafts.call(context, 'WEEKLY');
			const second = await searchDrafts.call(context, 'WEEKLY', first.paginationToken);
			expect(first.paginationToken).toBe('20');
			const names = [...first.results, ...second.results].map((result) => result.name);
			expect(names).toHaveLength(13);
			expect(names.every((name) => name.startsWith('Weekly digest '))).toBe(true);
		});

		it('names a draft of several articles by its first, with the count of the others', async () => {
			const [item] = await runNode(sandbox, {
				resource: 'draft',
				operation: 'create',
				articlesInput: 'json',
				articlesJson: [
					{ title: 'Lead story', content: '<p>1</p>', thumb_media_id: cover },
					{ title: 'Side story', content: '<p>2</p>', thumb_media_id: cover },
					{ title: 'Third', content: '<p>3</p>', thumb_media_id: cover },
				],
			});
			const found = await searchDrafts.call(loadOptionsFunctions(sandbox), 'side story');
			expect(found.results).toEqual([
				{ name: expect.stringMatching(/^Lead story \(\+2 more\) · updated /), value: item.json.media_id },
			]);
		});

		it('a picked draft submits: the locator value from the list is the media_id', async () => {
			const { results } = await searchDrafts.call(loadOptionsFunctions(sandbox), 'Product news 23');
			expect(results).toHaveLength(1);
			const [submitted] = await runNode(sandbox, {
				resource: 'publish',
				operation: 'submit',
				mediaId: { __rl: true, mode: 'list', value: results[0].value, cachedResultName: results[0].name },
			});
			expect(submitted.json.media_id).toBe(results[0].value);
			expect(submitted.json.publish_id).toMatch(/^\d+$/);
		});
	});
});
