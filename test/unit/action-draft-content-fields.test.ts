import { NodeHelpers, type IDataObject, type INodeProperties } from 'n8n-workflow';

import { WeChatOfficialAccount } from '../../nodes/WeChatOfficialAccount/WeChatOfficialAccount.node';
import { ImageServer, WeChatSandbox } from '../sandbox';
import { draftArticles, runNode, runNodeError, uploadCover } from './action-harness';

function create(articles: IDataObject[]): IDataObject {
	return {
		resource: 'draft',
		operation: 'create',
		contentFormat: 'markdown',
		articlesInput: 'fields',
		articles: { article: articles },
		options: { allowPrivateNetwork: true },
	};
}

describe('Draft → Create: fields from the Markdown itself (front matter, leading heading)', () => {
	let sandbox: WeChatSandbox;
	let images: ImageServer;
	let cover: string;

	beforeAll(async () => {
		[sandbox, images] = await Promise.all([WeChatSandbox.start(), ImageServer.start()]);
		cover = await uploadCover(sandbox);
	});

	afterAll(async () => {
		await Promise.all([sandbox.close(), images.close()]);
	});

	beforeEach(() => sandbox.resetCounts());

	it('fills the empty fields from front matter (cover uploaded), keeps the given ones, and says which it filled', async () => {
		const content = [
			'---',
			'title: From the front matter',
			'author: Lin',
			'description: A summary written once',
			`cover: ${images.url}/image.jpg`,
			'canonical: https://example.com/original',
			'---',
			'',
			'# From the front matter',
			'',
			'The body.',
		].join('\n');
		const [item] = await runNode(sandbox, create([{ title: '', author: 'Given author', content }]));
		expect(item.json.filledFrom).toEqual([
			{ article: 1, fields: { title: 'frontMatter', digest: 'frontMatter', coverImage: 'frontMatter', content_source_url: 'frontMatter' } },
		]);
		const [article] = await draftArticles(sandbox, item.json.media_id as string);
		expect(article).toMatchObject({
			title: 'From the front matter',
			author: 'Given author',
			digest: 'A summary written once',
			content_source_url: 'https://example.com/original',
			thumb_media_id: item.json.thumb_media_id,
		});
		expect(String(article.content)).not.toContain('From the front matter');
		expect(String(article.content)).not.toContain('description');
		expect(sandbox.count('/cgi-bin/material/add_material')).toBe(1);
	});

	it('takes a leading # Heading as the title and drops it from the body', async () => {
		const [item] = await runNode(sandbox, create([{ content: '# Heading title\n\nBody.', thumb_media_id: cover }]));
		expect(item.json.filledFrom).toEqual([{ article: 1, fields: { title: 'heading' } }]);
		const [article] = await draftArticles(sandbox, item.json.media_id as string);
		expect(article.title).toBe('Heading title');
		expect(String(article.content)).not.toContain('<h1');
	});

	it('refuses an article with no title anywhere before any upload, naming both sources', async () => {
		const error = await runNodeError(sandbox, create([{ content: 'Just text.', coverImage: `${images.url}/image.jpg` }]));
		expect(error.message).toBe('Article 1 has no title');
		expect(error.description).toMatch(/Title.*front matter.*# Heading/);
		for (const path of ['/cgi-bin/material/add_material', '/cgi-bin/draft/add']) expect(sandbox.count(path)).toBe(0);
	});

	it('shows Images only for image posts', () => {
		const description = new WeChatOfficialAccount().description;
		const articles = description.properties.find(
			(property) => property.name === 'articles' && JSON.stringify(property.displayOptions).includes('create'),
		)!;
		const fields = (articles.options![0] as { values: INodeProperties[] }).values;
		const images = fields.find((field) => field.name === 'images')!;
		const shown = (article_type: string) => NodeHelpers.displayParameter({ article_type }, images, { typeVersion: 1 }, description);
		expect(shown('newspic')).toBe(true);
		expect(shown('news')).toBe(false);
	});
});
