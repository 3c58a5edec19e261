// The article fields a Markdown article carries itself: its front matter's title, author, summary,
// cover and source link, and a leading `# Heading` as the title when nothing else gives one. A
// heading that repeats the title leaves the body: WeChat shows the title above the article.
import { frontMatterFields, type ContentField, type FrontMatter } from './frontMatter';
import type { HtmlElement } from './html';
import { isAllowedImageSource, urlScheme } from './sanitize';
import { textContent } from './text';
import type { Warnings } from './warnings';

export type ContentFields = Partial<Record<ContentField, string>>;
export type FieldSource = 'frontMatter' | 'heading';

/** Values a field takes only when they can work there; anything else is named in a warning. */
const USABLE: Partial<Record<ContentField, (value: string) => boolean>> = {
	coverImage: (value) => ['http', 'https', 'binary'].includes(urlScheme(value)) || (urlScheme(value) === 'data' && isAllowedImageSource(value)),
	content_source_url: (value) => ['http', 'https'].includes(urlScheme(value)),
};

function sameText(a: string, b: string): boolean {
	return a.replace(/\s+/g, ' ').trim() === b.replace(/\s+/g, ' ').trim();
}

/** Reads the fields, and drops from `root` a leading h1 that repeats the title. */
export function contentFields(
	root: HtmlElement,
	frontMatter: FrontMatter,
	givenTitle: string | undefined,
	markdown: boolean,
	warnings: Warnings,
): { fields: ContentFields; filledFrom: Partial<Record<ContentField, FieldSource>> } {
	const fields: ContentFields = {};
	const filledFrom: Partial<Record<ContentField, FieldSource>> = {};
	for (const [field, value] of Object.entries(frontMatterFields(frontMatter)) as Array<[ContentField, string]>) {
		if (USABLE[field] && !USABLE[field]!(value)) {
			warnings.add(`The front matter's ${field === 'coverImage' ? 'cover' : 'source link'} "${value}" is not an absolute URL, so it was not used.`);
			continue;
		}
		fields[field] = value;
		filledFrom[field] = 'frontMatter';
	}
	if (!markdown) return { fields, filledFrom };
	const index = root.children.findIndex((node) => node.type === 'element' || node.text.trim() !== '');
	const first = root.children[index];
	if (first?.type !== 'element' || first.tag !== 'h1') return { fields, filledFrom };
	const heading = textContent(first.children).trim();
	if (!fields.title && heading) {
		fields.title = heading;
		filledFrom.title = 'heading';
	}
	const title = givenTitle?.trim() || fields.title;
	if (title && sameText(heading, title)) root.children.splice(index, 1);
	return { fields, filledFrom };
}
