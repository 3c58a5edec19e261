import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { WeChatApiError } from '../../../wechat/api';
import { renderArticle, rewriteImageSources, type RenderedArticle } from '../../../wechat/article';
import { fillFromContent, type FilledFields } from './contentFields';
import { findLimitViolation, type LimitViolation, MAX_NEWSPIC_IMAGES } from '../../../wechat/articleLimits';
import { classifyImageSource, describeSource, type ImageSource } from '../../../wechat/imageSources';
import { weChatBaseUrl } from '../../transport';
import { CONTENT_IMAGE_RULES, COVER_IMAGE_RULES } from '../image/imageFile';
import type { ComposeOptions } from './composeOptions';
import { ImageProblem, type DownloadLimits } from './imageFetch';
import { type ImageFile, imageStoreFor, IMAGE_CONCURRENCY, settleWithLimit, type Uploaded } from './imageStore';

/** Room a re-hosted WeChat image URL takes in the content, for the limit check before uploading. */
const REHOSTED_URL_LENGTH = 120;
const MAX_REDIRECTS = 5;
/** The largest image read for conversion: a phone photo or a detailed PNG, with room to spare. */
export const MAX_CONVERTED_SOURCE_BYTES = 20 * 1024 * 1024;

/** Node-only article fields: turned into WeChat's fields here, never sent as they are. */
const COMPOSER_FIELDS = ['coverImage', 'images'];

interface ImageJob {
	article: number;
	/** 1-based position among the article's content images; 0 for cover and image-post pictures. */
	position: number;
	src: string;
	source: ImageSource;
	purpose: 'content' | 'cover' | 'picture';
	file?: ImageFile;
	uploaded?: Uploaded;
}

export interface ComposedDraft {
	articles: IDataObject[];
	/** What was uploaded, each source once. */
	images: Array<{ source: string; url: string }>;
	warnings: string[];
	/** Per article, the WeChat image URLs its content holds: what verifyDraft looks for. */
	sentImages: string[][];
	/** The empty fields the content filled (front matter, leading heading), per article. */
	filledFrom: FilledFields[];
}

/**
 * The item failed after its images were uploaded: says what was uploaded, and deletes the
 * permanent images it created unless the draft may exist (`draftSent` and the outcome unknown).
 */
export async function reportUploads(this: IExecuteFunctions, itemIndex: number, error: Error, draftSent: boolean): Promise<Error> {
	const draftMayExist = draftSent && (!(error instanceof WeChatApiError) || error.outcomeUnknown);
	const report = await imageStoreFor(this).ledger.settleFailure(itemIndex, draftMayExist);
	if (report === '') return error;
	const message = `${error.message.replace(/\.?$/, '.')} Images had been uploaded for it: see the details.`;
	const description = [(error as { description?: string }).description, report].filter(Boolean).join('\n');
	if (error instanceof WeChatApiError) return new WeChatApiError(message, { ...error, description });
	return new NodeOperationError(this.getNode(), message, { description, itemIndex });
}

/** The item's draft was written: the images it uploaded stay, whatever a later item does. */
export function keepUploads(this: IExecuteFunctions, itemIndex: number): void {
	imageStoreFor(this).ledger.markInDraft(itemIndex);
}

/** A limit passed becomes the item's error, naming limit, errcode and fix. */
export function enforceLimits(this: IExecuteFunctions, itemIndex: number, violation: LimitViolation | undefined): void {
	if (violation) throw new NodeOperationError(this.getNode(), violation.message, { description: violation.fix, itemIndex });
}

function describeJob(job: ImageJob): string {
	const what =
		job.purpose === 'content'
			? `Image ${job.position} of article ${job.article}`
			: job.purpose === 'cover'
				? `The cover image of article ${job.article}`
				: `A picture of image post ${job.article}`;
	return `${what} (${describeSource(job.src)})`;
}

function titleOf(fields: IDataObject): string {
	return typeof fields.title === 'string' ? fields.title.trim() : '';
}

function pictureList(value: unknown): string[] {
	if (Array.isArray(value)) return value.map(String).map((src) => src.trim()).filter(Boolean);
	if (typeof value !== 'string') return [];
	return value.split(/[\n,]/).map((src) => src.trim()).filter(Boolean);
}

/**
 * Turns the given articles into what draft/add (or draft/update) takes: content rendered, images
 * re-hosted on WeChat, covers and image-post pictures uploaded as permanent material, every limit
 * checked. Every refusal that needs no WeChat answer comes before the first upload.
 */
export async function composeArticles(
	this: IExecuteFunctions,
	itemIndex: number,
	given: IDataObject[],
	options: ComposeOptions,
	requireCover: boolean,
): Promise<ComposedDraft> {
	const fail = (message: string, description: string) =>
		new NodeOperationError(this.getNode(), message, { description, itemIndex });
	const extraHosts = [new URL(await weChatBaseUrl.call(this)).host.toLowerCase()];
	const warnings: string[] = [];
	const jobs: ImageJob[] = [];
	const htmlByArticle: Array<string | undefined> = [];
	const filledFrom: FilledFields[] = [];
	const articles = given.map((input, index) => {
		const fields = { ...input };
		const number = index + 1;
		const article: IDataObject = {};
		for (const [name, value] of Object.entries(fields)) if (!COMPOSER_FIELDS.includes(name)) article[name] = value;
		const type = String(fields.article_type ?? 'news') || 'news';
		if (type !== 'news' && type !== 'newspic') {
			throw fail(`Article ${number}: Article Type "${type}" is not known`, 'Use news (an ordinary article) or newspic (an image post)');
		}
		const content = typeof fields.content === 'string' ? fields.content : undefined;
		// Empty fields take what the content gives; fields given win.
		const filled = (rendered: RenderedArticle) => {
			const from = fillFromContent(fields, rendered, type === 'news');
			for (const name of Object.keys(from)) if (!COMPOSER_FIELDS.includes(name)) article[name] = fields[name];
			if (Object.keys(from).length > 0) filledFrom.push({ article: number, fields: from });
		};
		if (type === 'newspic') {
			const pictures = pictureList(fields.images);
			const keepsPictures = pictures.length === 0 && fields.image_info !== undefined;
			if (!keepsPictures && (pictures.length === 0 || pictures.length > MAX_NEWSPIC_IMAGES)) {
				throw fail(
					`Image post ${number} has ${pictures.length} pictures; WeChat takes 1 to ${MAX_NEWSPIC_IMAGES}`,
					'List the pictures under Images (one URL or binary:<property> per line)',
				);
			}
			for (const src of pictures) jobs.push({ article: number, position: 0, src, source: classifyImageSource(src, extraHosts), purpose: 'picture' });
			if (content !== undefined) {
				const rendered = renderArticle(content, { format: options.contentFormat, linkFootnotes: false, title: titleOf(fields) });
				filled(rendered);
				if (rendered.images.length > 0) {
					warnings.push(`Image post ${number}: its text is plain, so the ${rendered.images.length} image(s) in its content were left out; list pictures under Images`);
				}
				article.content = rendered.text;
			}
			htmlByArticle.push(undefined);
		} else if (content !== undefined) {
			const rendered = renderArticle(content, {
				format: options.contentFormat,
				theme: options.theme,
				linkFootnotes: options.linkFootnotes,
				title: titleOf(fields),
			});
			filled(rendered);
			warnings.push(...rendered.warnings.map((warning) => `Article ${number}: ${warning}`));
			for (const image of rendered.images) {
				const source = classifyImageSource(image.src, extraHosts);
				if (source.kind === 'wechat') continue;
				if (options.rehostImages) {
					jobs.push({ article: number, position: image.position, src: image.src, source, purpose: 'content' });
				} else {
					warnings.push(`Article ${number}: image ${image.position} (${describeSource(image.src)}) is not on WeChat's image hosts and Re-Host Images is off: WeChat will remove it`);
				}
			}
			// The content as it will be once re-hosted, for the limit check before any upload.
			article.content = rewriteImageSources(rendered.html, (src) =>
				classifyImageSource(src, extraHosts).kind === 'wechat' || !options.rehostImages ? src : 'x'.repeat(REHOSTED_URL_LENGTH),
			);
			htmlByArticle.push(rendered.html);
			const firstImage = rendered.images[0];
			const hasCover = Boolean(fields.thumb_media_id) || Boolean(fields.coverImage);
			if (!hasCover && options.coverFromContent && firstImage) {
				jobs.push({ article: number, position: 0, src: firstImage.src, source: classifyImageSource(firstImage.src), purpose: 'cover' });
			}
		} else {
			htmlByArticle.push(undefined);
		}
		if (type === 'news' && !fields.thumb_media_id && typeof fields.coverImage === 'string' && fields.coverImage.trim() !== '') {
			const src = fields.coverImage.trim();
			jobs.push({ article: number, position: 0, src, source: classifyImageSource(src), purpose: 'cover' });
		}
		if (!titleOf(article)) {
			throw fail(
				`Article ${number} has no title`,
				'Set Title, or with Markdown content give a title: in its front matter or start it with a # Heading',
			);
		}
		if (type === 'news' && requireCover && !fields.thumb_media_id && !jobs.some((job) => job.article === number && job.purpose === 'cover')) {
			throw fail(`Article ${number} has no cover`, 'Set Cover Media ID or Cover Image, or put an image in the content and keep the option Cover From Content on');
		}
		enforceLimits.call(this, itemIndex, findLimitViolation(article, number));
		return article;
	});

	// Every image is fetched and checked before the first upload: a bad one stops the item with nothing sent.
	const store = imageStoreFor(this);
	const limits = (maxBytes: number): DownloadLimits => ({
		maxBytes,
		timeoutMs: options.imageTimeoutMs,
		maxRedirects: MAX_REDIRECTS,
		allowPrivateNetwork: options.allowPrivateNetwork,
	});
	const resolved = await settleWithLimit(jobs, IMAGE_CONCURRENCY, async (job) => {
		const rules = job.purpose === 'content' ? CONTENT_IMAGE_RULES : COVER_IMAGE_RULES;
		// Converted images may start larger than WeChat takes: they are read up to the conversion's limit.
		const maxBytes = options.convertImages ? Math.max(rules.maxBytes, MAX_CONVERTED_SOURCE_BYTES) : rules.maxBytes;
		job.file = await store.resolve(job.source, itemIndex, rules, limits(maxBytes), options.convertImages);
	});
	resolved.forEach((result, index) => {
		if (result.status === 'fulfilled') return;
		const problem = result.reason as Error;
		if (!(problem instanceof ImageProblem)) throw problem;
		throw fail(`${describeJob(jobs[index])} cannot be used: ${problem.message}`, problem.fix);
	});
	for (const job of jobs) {
		if (job.file?.conversion) warnings.push(`${describeJob(job)} was made acceptable to WeChat: ${job.file.conversion}`);
	}
	const uploads = await settleWithLimit(jobs, IMAGE_CONCURRENCY, async (job) => {
		job.uploaded = await store.upload(job.file!, job.purpose !== 'content', itemIndex);
	});
	const failedUpload = uploads.findIndex((result) => result.status === 'rejected');
	if (failedUpload !== -1) {
		const error = (uploads[failedUpload] as PromiseRejectedResult).reason as Error;
		const message = `${describeJob(jobs[failedUpload])} could not be uploaded: ${error.message}`;
		const named =
			error instanceof WeChatApiError
				? new WeChatApiError(message, { ...error, description: error.description })
				: fail(message, 'Check the image, then run the item again');
		throw await reportUploads.call(this, itemIndex, named, false);
	}

	const images: ComposedDraft['images'] = [];
	for (const job of jobs) {
		if (!images.some((image) => image.source === job.src && image.url === job.uploaded!.url)) {
			images.push({ source: job.src, url: job.uploaded!.url });
		}
	}
	const sentImages = articles.map((article, index) => {
		const number = index + 1;
		const mine = jobs.filter((job) => job.article === number);
		const cover = mine.find((job) => job.purpose === 'cover');
		if (cover && !article.thumb_media_id) article.thumb_media_id = cover.uploaded!.media_id;
		const pictures = mine.filter((job) => job.purpose === 'picture');
		if (pictures.length > 0) article.image_info = { image_list: pictures.map((job) => ({ image_media_id: job.uploaded!.media_id })) };
		const html = htmlByArticle[index];
		if (html === undefined) return [];
		const kept: string[] = [];
		article.content = rewriteImageSources(html, (src, position) => {
			const job = mine.find((candidate) => candidate.purpose === 'content' && candidate.position === position);
			const final = job ? job.uploaded!.url : src;
			if (classifyImageSource(final, extraHosts).kind === 'wechat') kept.push(final);
			return final;
		});
		enforceLimits.call(this, itemIndex, findLimitViolation(article, number));
		return kept;
	});
	return { articles, images, warnings, sentImages, filledFrom };
}
