// Gives every element of a sanitised article its theme's inline style and reshapes what WeChat's
// article view would otherwise spoil: list markers (it resets them), wide tables (they scroll),
// code whitespace (kept as &nbsp; and <br>), image captions. Classes and ids go at the end.
import { CALLOUT_CLASS, CALLOUT_KINDS } from './callouts';
import { CodeColors, preserveWhitespace, trimTrailingNewline } from './codeStyle';
import { element, text, type HtmlElement, type HtmlNode } from './html';
import { TASK_CLASS } from './markdown';
import { REFERENCE_CLASS } from './references';
import type { Theme } from './themes';

export interface StyleOptions {
	/** Markdown images alone in a paragraph get their title (or alt) as a caption. */
	captions: boolean;
}

const BLOCK_ELEMENTS = new Set([
	'blockquote', 'div', 'dl', 'figure', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'ol', 'p', 'pre', 'section',
	'table', 'ul', 'li', 'tr', 'td', 'th', 'thead', 'tbody', 'tfoot', 'figcaption', 'caption', 'dt', 'dd',
]);
const SAME_STYLE: Record<string, string> = { b: 'strong', i: 'em', s: 'del', strike: 'del' };
const CLASS_STYLES: Record<string, string> = {
	[REFERENCE_CLASS.mark]: 'ref mark',
	[REFERENCE_CLASS.list]: 'ref list',
	[REFERENCE_CLASS.entry]: 'ref entry',
	[REFERENCE_CLASS.number]: 'ref number',
	[REFERENCE_CLASS.url]: 'ref url',
	[REFERENCE_CLASS.entryParagraph]: 'ref entry p',
	...Object.fromEntries(CALLOUT_KINDS.map((kind) => [CALLOUT_CLASS.box(kind), `callout ${kind}`])),
	...Object.fromEntries(CALLOUT_KINDS.map((kind) => [CALLOUT_CLASS.title(kind), `callout title ${kind}`])),
};
/** Label widths in em: a hanging indent that fits the widest marker of a list. */
const BULLET_WIDTH = 1.4;
const DIGIT_WIDTH = 0.6;
const CJK = '[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]';
const CJK_SOFT_BREAK = new RegExp(`(${CJK})[ \\t]*\\n[ \\t]*(?=${CJK})`, 'g');

interface Context {
	listDepth: number;
	inBlockquote: boolean;
	inListItem: boolean;
	inTable: boolean;
}

function classesOf(node: HtmlElement): string[] {
	return node.attrs.class === undefined ? [] : node.attrs.class.split(/\s+/);
}

function isBlank(node: HtmlNode): boolean {
	return node.type === 'text' && node.text.trim() === '';
}

function isBlock(node: HtmlNode | undefined): boolean {
	return node?.type === 'element' && BLOCK_ELEMENTS.has(node.tag);
}

/**
 * The theme styles elements that have no style of their own: an author's inline style wins, and
 * rendering HTML that was rendered before changes nothing.
 */
function addStyle(node: HtmlElement, style: string | undefined): void {
	if (style && node.attrs.style === undefined) node.attrs.style = style;
}

/** Whitespace between blocks means nothing and only risks stray line breaks in WeChat's editor. */
function withoutBlankBetweenBlocks(nodes: HtmlNode[]): HtmlNode[] {
	const result: HtmlNode[] = [];
	let previous: HtmlNode | undefined;
	for (let index = 0; index < nodes.length; index++) {
		const node = nodes[index];
		if (!isBlank(node)) {
			result.push(node);
			previous = node;
			continue;
		}
		let next = index + 1;
		while (next < nodes.length && isBlank(nodes[next])) next++;
		// Between two inline neighbours whitespace is a word space: keep one.
		if (previous && next < nodes.length && !isBlock(previous) && !isBlock(nodes[next])) result.push(node);
		index = next - 1;
	}
	return result;
}

/** A soft line break is a space, or nothing between two CJK characters. */
function softBreaks(value: string): string {
	if (!value.includes('\n')) return value;
	return value.replace(CJK_SOFT_BREAK, '$1').replace(/[ \t]*\n[ \t]*/g, ' ');
}

class Styler {
	private readonly codeColors: CodeColors;

	constructor(
		private readonly theme: Theme,
		private readonly options: StyleOptions,
	) {
		this.codeColors = new CodeColors(theme.codeColors);
	}

	private style(name: string): string | undefined {
		return this.theme.styles[name];
	}

	nodes(nodes: HtmlNode[], context: Context): HtmlNode[] {
		const result: HtmlNode[] = [];
		const kept = withoutBlankBetweenBlocks(nodes);
		for (const node of kept) {
			if (node.type === 'text') {
				node.text = softBreaks(node.text);
				result.push(node);
			} else {
				// Images sharing a line (a row of badges) stay in a row; a lone image is a block.
				if (node.tag === 'img' && kept.length > 1 && !context.inTable) addStyle(node, this.style('inline img'));
				result.push(this.element(node, context));
			}
		}
		return result;
	}

	private element(node: HtmlElement, context: Context): HtmlNode {
		const classStyle = node.attrs.class === undefined ? undefined : classesOf(node).map((name) => CLASS_STYLES[name]).find(Boolean);
		delete node.attrs.class;
		delete node.attrs.id;
		switch (node.tag) {
			case 'ul':
			case 'ol':
				return this.list(node, context);
			case 'table': {
				const styled = node.attrs.style !== undefined;
				node.children = this.nodes(node.children, { ...context, inTable: true });
				addStyle(node, this.style('table'));
				// A wide table scrolls sideways inside its wrapper instead of squeezing its columns.
				return styled ? node : element('section', { style: this.style('table wrap') ?? '' }, [node]);
			}
			case 'td':
			case 'th':
				addStyle(node, this.cellStyle(node));
				break;
			case 'pre':
				return this.pre(node);
			case 'p':
				if (this.options.captions) {
					const figure = this.captionedImage(node);
					if (figure) return figure;
				}
				addStyle(node, this.style(classStyle ?? (context.inListItem ? 'li p' : context.inBlockquote ? 'blockquote p' : 'p')));
				break;
			case 'figure':
				node.tag = 'section';
				addStyle(node, this.style('figure'));
				break;
			case 'figcaption':
				node.tag = 'p';
				addStyle(node, this.style('figcaption'));
				break;
			case 'code':
				// Long identifiers in a table cell may wrap, so the text column keeps its width.
				addStyle(node, this.style(context.inTable ? 'cell code' : 'code'));
				break;
			default:
				addStyle(node, this.style(classStyle ?? SAME_STYLE[node.tag] ?? node.tag));
		}
		const inBlockquote = context.inBlockquote || node.tag === 'blockquote' || Boolean(classStyle?.startsWith('callout '));
		const inListItem = context.inListItem && !BLOCK_ELEMENTS.has(node.tag);
		const changed = inBlockquote !== context.inBlockquote || inListItem !== context.inListItem;
		node.children = this.nodes(node.children, changed ? { ...context, inBlockquote, inListItem } : context);
		return node;
	}

	private cellStyle(node: HtmlElement): string | undefined {
		const align = node.attrs.align;
		delete node.attrs.align;
		const style = this.style(node.tag);
		return align && /^(left|right|center)$/i.test(align) ? `${style ?? ''}text-align:${align.toLowerCase()};` : style;
	}

	private list(node: HtmlElement, context: Context): HtmlElement {
		if (node.attrs.style !== undefined) {
			// Styled by its author (or rendered before): its markers are taken care of.
			node.children = this.nodes(node.children, { ...context, listDepth: context.listDepth + 1 });
			return node;
		}
		const ordered = node.tag === 'ol';
		let number = ordered ? Number.parseInt(node.attrs.start ?? '1', 10) || 1 : 0;
		const bullets = this.theme.bullets;
		const inner: Context = { ...context, listDepth: context.listDepth + 1, inListItem: true };
		addStyle(node, this.style(context.listDepth > 0 ? 'nested list' : 'list'));
		node.children = node.children.filter((child) => !isBlank(child));
		// The marker box fits the longest number (a space's worth to spare), so it never touches its text.
		const last = number + node.children.length - 1;
		const digits = Math.max(String(number).length, String(last).length);
		const width = ordered ? Math.max(BULLET_WIDTH, Math.round((digits * DIGIT_WIDTH + 0.8) * 10) / 10) : BULLET_WIDTH;
		const hanging = `padding-left:${width}em;text-indent:-${width}em;`;
		const markerStyle = `${this.style('marker') ?? ''}width:${width}em;`;
		for (const item of node.children) {
			if (item.type !== 'element' || item.tag !== 'li') continue;
			const task = classesOf(item);
			const label = task.includes(TASK_CLASS.done)
				? '☑'
				: task.includes(TASK_CLASS.todo)
					? '☐'
					: ordered
						? `${number++}.`
						: bullets[context.listDepth % bullets.length];
			delete item.attrs.class;
			delete item.attrs.id;
			addStyle(item, `${this.style('li') ?? ''}${hanging}`);
			const children = this.nodes(item.children, inner);
			const marker = element('span', { style: markerStyle }, [text(`${label} `)]);
			const first = children[0];
			const markerHolder = first?.type === 'element' && first.tag === 'p' ? first : undefined;
			for (const child of children) {
				// Only the first line hangs; later blocks of the item start at its indent.
				if (child !== markerHolder && isBlock(child) && child.type === 'element') {
					child.attrs.style = `${child.attrs.style ?? ''}${this.style('li block') ?? ''}`;
				}
			}
			if (markerHolder) markerHolder.children.unshift(marker);
			else children.unshift(marker);
			item.children = children;
		}
		return node;
	}

	private pre(node: HtmlElement): HtmlElement {
		const only = node.children.filter((child) => !isBlank(child));
		const code =
			only.length === 1 && only[0].type === 'element' && only[0].tag === 'code' ? only[0] : element('code', {}, node.children);
		delete code.attrs.class;
		delete code.attrs.id;
		trimTrailingNewline(code.children);
		code.children = preserveWhitespace(this.codeColors.restyle(code.children));
		addStyle(code, this.style('pre code'));
		addStyle(node, this.style('pre'));
		node.children = [code];
		return node;
	}

	/** A paragraph holding one image and nothing else becomes the image with its caption. */
	private captionedImage(node: HtmlElement): HtmlElement | undefined {
		const content = node.children.filter((child) => !isBlank(child));
		const image = content[0];
		if (content.length !== 1 || image.type !== 'element' || image.tag !== 'img') return undefined;
		addStyle(image, this.style('img'));
		const caption = (image.attrs.title || image.attrs.alt || '').trim();
		const children: HtmlNode[] = [image];
		if (caption) children.push(element('p', { style: this.style('figcaption') ?? '' }, [text(caption)]));
		return element('section', { style: this.style('figure') ?? '' }, children);
	}
}

/** Styles `root`'s content in place and wraps it in one section carrying the base font. */
export function applyTheme(root: HtmlElement, theme: Theme, options: StyleOptions): void {
	const styled = new Styler(theme, options).nodes(root.children, { listDepth: 0, inBlockquote: false, inListItem: false, inTable: false });
	const [only] = styled;
	const wrapped = styled.length === 1 && only.type === 'element' && only.tag === 'section' && only.attrs.style !== undefined;
	root.children = wrapped ? styled : [element('section', { style: theme.styles.root }, styled)];
}
