// Article rendering: Markdown or HTML in, WeChat-ready HTML out (inline styles, sanitised, links as
// numbered references), plus what the draft pipeline needs to know about it. Pure: no I/O.
import { contentFields, type ContentFields, type FieldSource } from './fields';
import { splitFrontMatter, type ContentField, type FrontMatter } from './frontMatter';
import { forEachElement, parseHtml, serializeHtml, type HtmlElement } from './html';
import { markdownToTree } from './markdown';
import { resolveReferences, type ArticleLink } from './references';
import { sanitizeNodes } from './sanitize';
import { applyTheme } from './style';
import { plainText } from './text';
import { DEFAULT_THEME, THEMES, themeNamed } from './themes';
import { Warnings } from './warnings';

export { DEFAULT_THEME, THEMES, type ArticleLink, type ContentField, type ContentFields, type FieldSource, type FrontMatter };

export type ContentFormat = 'html' | 'markdown';

export interface RenderOptions {
	format: ContentFormat;
	theme?: string;
	/** Links to other sites become text plus a numbered reference (default true). */
	linkFootnotes?: boolean;
	/**
	 * The article's title as given. A Markdown article's leading `# Heading` that repeats the title
	 * (this one, else the front matter's, else the heading itself becomes it) leaves the body.
	 */
	title?: string;
}

export interface ArticleImage {
	/** As written: an http(s) URL, a data: URI or binary:<property>. */
	src: string;
	alt: string;
	/** 1-based order in the article. */
	position: number;
}

export interface RenderedArticle {
	html: string;
	/** The plain text, for counting and digests. */
	text: string;
	images: ArticleImage[];
	links: ArticleLink[];
	warnings: string[];
	/** Markdown front matter as parsed ({} without one, and for HTML). */
	frontMatter: FrontMatter;
	/** Article fields the content gives: from front matter, the title also from a leading heading. */
	fields: ContentFields;
	/** Where each of `fields` came from. */
	filledFrom: Partial<Record<ContentField, FieldSource>>;
}

function imagesOf(root: HtmlElement): HtmlElement[] {
	const images: HtmlElement[] = [];
	forEachElement(root.children, (node) => {
		if (node.tag === 'img') images.push(node);
	});
	return images;
}

export function renderArticle(content: string, options: RenderOptions): RenderedArticle {
	if (options.format !== 'html' && options.format !== 'markdown') {
		throw new Error(`Unknown content format "${String(options.format)}": use html or markdown`);
	}
	const theme = themeNamed(options.theme || DEFAULT_THEME);
	const warnings = new Warnings();
	const markdown = options.format === 'markdown';
	const { data: frontMatter, body } = markdown ? splitFrontMatter(content) : { data: {}, body: content };
	const root = markdown ? markdownToTree(body) : parseHtml(body);
	const { fields, filledFrom } = contentFields(root, frontMatter, options.title, markdown, warnings);
	root.children = sanitizeNodes(root.children, warnings);
	const links = resolveReferences(root, options.linkFootnotes !== false, warnings);
	applyTheme(root, theme, { captions: options.format === 'markdown' });
	const images = imagesOf(root).map((image, index) => ({
		src: image.attrs.src,
		alt: image.attrs.alt ?? '',
		position: index + 1,
	}));
	return {
		html: serializeHtml(root.children),
		text: plainText(root.children),
		images,
		links,
		warnings: warnings.list(),
		frontMatter,
		fields,
		filledFrom,
	};
}

/** Rewrites every <img src> of rendered html; `replace` gets the src and 1-based position and returns the new src. */
export function rewriteImageSources(html: string, replace: (src: string, position: number) => string): string {
	const root = parseHtml(html);
	imagesOf(root).forEach((image, index) => {
		image.attrs.src = replace(image.attrs.src ?? '', index + 1);
	});
	return serializeHtml(root.children);
}
