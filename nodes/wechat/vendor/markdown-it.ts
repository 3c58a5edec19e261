// The one place the package imports markdown-it and its plugins. The build replaces this module's
// output with a bundle of them all, so dist/ requires nothing that n8n does not ship.
export { default as MarkdownIt } from 'markdown-it';
export { default as markdownItFootnote } from 'markdown-it-footnote';
export { default as markdownItCjkFriendly } from 'markdown-it-cjk-friendly';
export { default as markdownItContainer } from 'markdown-it-container';
export { default as markdownItMark } from 'markdown-it-mark';
export { default as markdownItIns } from 'markdown-it-ins';
export type { StateBlock, StateCore, StateInline, Token } from 'markdown-it';
