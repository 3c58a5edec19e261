// Types for the markdown-it plugins that ship none: each is a plain markdown-it plugin.
declare module 'markdown-it-container' {
	import type MarkdownIt from 'markdown-it';
	import type { Options, Renderer, Token } from 'markdown-it';
	interface ContainerOptions {
		marker?: string;
		validate?: (params: string) => boolean;
		render?: (tokens: Token[], index: number, options: Options, env: unknown, renderer: Renderer) => string;
	}
	const plugin: (md: MarkdownIt, name: string, options?: ContainerOptions) => void;
	export default plugin;
}
declare module 'markdown-it-mark' {
	import type MarkdownIt from 'markdown-it';
	const plugin: (md: MarkdownIt) => void;
	export default plugin;
}
declare module 'markdown-it-ins' {
	import type MarkdownIt from 'markdown-it';
	const plugin: (md: MarkdownIt) => void;
	export default plugin;
}
