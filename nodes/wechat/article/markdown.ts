// Markdown → HTML: CommonMark with GFM tables, strikethrough and task lists, footnotes, GitHub
// alerts and `:::` containers, ==mark== and ++underline++, emphasis that works next to CJK
// punctuation, and fenced code highlighted (highlight/). Styling and sanitising happen afterwards,
// the same way for Markdown and for HTML input.
import {
	MarkdownIt,
	markdownItCjkFriendly,
	markdownItContainer,
	markdownItFootnote,
	markdownItIns,
	markdownItMark,
	type StateCore,
} from '../vendor/markdown-it';
import { callouts, CONTAINER, CONTAINER_NAME } from './callouts';
import { highlightHtml } from './highlight';
import { parseHtml, type HtmlElement } from './html';
import { tokensToTree } from './tokenTree';
import { markdownItMath } from './math';

/** Class a task list item gets; the styling step turns it into a checkbox marker. */
export const TASK_CLASS = { done: 'task-done', todo: 'task-todo' } as const;

/** GFM task list items: "[ ] " or "[x] " opening a list item becomes a class on the item. */
function taskLists(state: StateCore): void {
	const tokens = state.tokens;
	for (let index = 0; index < tokens.length; index++) {
		if (tokens[index].type !== 'list_item_open') continue;
		const inline = tokens[index + 1]?.type === 'inline' ? tokens[index + 1] : tokens[index + 2];
		const first = inline?.type === 'inline' ? inline.children?.[0] : undefined;
		const match = first?.type === 'text' ? /^\[([ xX])\](?:\s+|$)/.exec(first.content) : null;
		if (!first || !match) continue;
		first.content = first.content.slice(match[0].length);
		tokens[index].attrJoin('class', match[1] === ' ' ? TASK_CLASS.todo : TASK_CLASS.done);
	}
}

/** Table column alignment as an align attribute: the style attribute is left to the theme. */
function tableAlignment(state: StateCore): void {
	for (const token of state.tokens) {
		if (token.type !== 'th_open' && token.type !== 'td_open') continue;
		const align = /text-align:(\w+)/.exec(String(token.attrGet('style') ?? ''))?.[1];
		if (!align) continue;
		token.attrs = (token.attrs ?? []).filter(([name]) => name !== 'style');
		token.attrSet('align', align);
	}
}

function createMarkdown(): InstanceType<typeof MarkdownIt> {
	const md = new MarkdownIt({ html: true, highlight: highlightHtml });
	md.use(markdownItFootnote);
	md.use(markdownItCjkFriendly);
	md.use(markdownItMark);
	md.use(markdownItIns);
	md.use(markdownItContainer, CONTAINER_NAME, {
		validate: (params: string) => CONTAINER.test(params),
		render: (tokens, index, options, _env, renderer) => renderer.renderToken(tokens, index, options),
	});
	md.core.ruler.after('block', 'callouts', callouts);
	md.use(markdownItMath);
	md.core.ruler.push('task_lists', taskLists);
	md.core.ruler.push('table_alignment', tableAlignment);
	// Every URL reaches the sanitiser, which decides for Markdown and HTML alike (and keeps the
	// binary: image sources markdown-it would otherwise turn into text).
	md.validateLink = () => true;
	return md;
}

const markdown = createMarkdown();

export function markdownToHtml(source: string): string {
	return markdown.render(source);
}

/** Markdown's tree from its tokens (tokenTree.ts); through HTML when its raw HTML needs that. */
export function markdownToTree(source: string): HtmlElement {
	return tokensToTree(markdown.parse(source, {})) ?? parseHtml(markdownToHtml(source));
}
