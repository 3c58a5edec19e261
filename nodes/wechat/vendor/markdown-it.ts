// The one place the package imports markdown-it and its footnote plugin. The build replaces this
// module's output with a bundle of both, so dist/ requires nothing that n8n does not ship.
export { default as MarkdownIt } from 'markdown-it';
export { default as markdownItFootnote } from 'markdown-it-footnote';
export type { StateCore } from 'markdown-it';
export type { StateBlock, StateInline } from 'markdown-it';
