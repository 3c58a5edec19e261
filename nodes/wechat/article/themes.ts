// The looks an article can take. Every value ends up in a style attribute: WeChat keeps inline
// styles and drops <style> blocks and classes. Sizes are for a 375 px wide phone screen.
import { CALLOUT_KINDS, type CalloutKind } from './callouts';

export interface Theme {
	/** Inline style per element (and per renderer part, keyed by its name). */
	styles: Record<string, string>;
	/** List markers by nesting depth (unordered lists); ordered lists write their numbers. */
	bullets: string[];
	/** highlight.js scopes (hljs-keyword → keyword) → text colour. */
	codeColors: Record<string, string>;
}

interface Palette {
	text: string;
	muted: string;
	accent: string;
	border: string;
	quoteBackground: string;
	codeBackground: string;
	/** A light code block's edge on a white page (none for dark ones). */
	codeBorder: string;
	codeText: string;
	inlineCodeBackground: string;
	inlineCode: string;
	font: string;
	codeColors: Record<string, string>;
}

const MONO = 'Menlo,Consolas,monospace';

const LIGHT_CODE: Record<string, string> = {
	keyword: '#cf222e', built_in: '#8250df', type: '#8250df', literal: '#0550ae', number: '#0550ae',
	string: '#0a3069', regexp: '#0a3069', symbol: '#0550ae', title: '#8250df', 'title.function': '#8250df',
	'title.class': '#953800', params: '#24292f', comment: '#6e7781', doctag: '#cf222e', meta: '#0550ae',
	attr: '#0550ae', attribute: '#0550ae', variable: '#953800', name: '#116329', tag: '#116329',
	'selector-tag': '#116329', 'selector-class': '#6639ba', 'selector-id': '#6639ba', property: '#0550ae',
	subst: '#24292f', section: '#0550ae', bullet: '#953800', addition: '#116329', deletion: '#82071e',
};

const DARK_CODE: Record<string, string> = {
	keyword: '#c678dd', built_in: '#e6c07b', type: '#e6c07b', literal: '#56b6c2', number: '#d19a66',
	string: '#98c379', regexp: '#98c379', symbol: '#61aeee', title: '#61aeee', 'title.function': '#61aeee',
	'title.class': '#e6c07b', params: '#abb2bf', comment: '#7f848e', doctag: '#c678dd', meta: '#61aeee',
	attr: '#d19a66', attribute: '#98c379', variable: '#e06c75', name: '#e06c75', tag: '#e06c75',
	'selector-tag': '#e06c75', 'selector-class': '#d19a66', 'selector-id': '#61aeee', property: '#56b6c2',
	subst: '#e06c75', section: '#e06c75', bullet: '#61aeee', addition: '#98c379', deletion: '#e06c75',
};

/** Callout colours by kind (GitHub's alert palette): border and title, and a light background. */
const CALLOUT_COLORS: Record<CalloutKind, [string, string]> = {
	note: ['#0969da', '#f0f6ff'], info: ['#0969da', '#f0f6ff'], tip: ['#1a7f37', '#effaf2'],
	important: ['#8250df', '#f7f2ff'], warning: ['#9a6700', '#fff8e6'], caution: ['#cf222e', '#fff1f0'], danger: ['#cf222e', '#fff1f0'],
};

function calloutStyles(p: Palette): Record<string, string> {
	const styles: Record<string, string> = {};
	for (const kind of CALLOUT_KINDS) {
		const [color, background] = CALLOUT_COLORS[kind];
		styles[`callout ${kind}`] = `margin:0 0 1em;padding:0.7em 1em;border-left:4px solid ${color};border-radius:4px;background:${background};color:${p.text};`;
		styles[`callout title ${kind}`] = `margin:0 0 0.4em;font-weight:bold;color:${color};`;
	}
	return styles;
}

function theme(palette: Palette, headings: Record<'h1' | 'h2' | 'h3', string>, bullets: string[]): Theme {
	const p = palette;
	const heading = `font-weight:bold;color:${p.text};line-height:1.4;`;
	return {
		bullets,
		codeColors: p.codeColors,
		styles: {
			root: `font-family:${p.font};font-size:16px;line-height:1.75;color:${p.text};letter-spacing:0.5px;word-break:break-word;`,
			h1: heading + headings.h1,
			h2: heading + headings.h2,
			h3: heading + headings.h3,
			// Never smaller than body text: below h3 the weight and colour carry the level.
			h4: `${heading}font-size:17px;margin:1.4em 0 0.6em;`,
			h5: `${heading}font-size:16px;margin:1.2em 0 0.5em;`,
			h6: `${heading}font-size:16px;margin:1.2em 0 0.5em;color:${p.muted};`,
			p: 'margin:0 0 1em;',
			// The quote reads as text, not as a footnote: full text colour on its tinted ground.
			blockquote: `margin:0 0 1em;padding:0.8em 1em;border-left:4px solid ${p.accent};border-radius:4px;background:${p.quoteBackground};color:${p.text};`,
			'blockquote p': 'margin:0.3em 0;',
			strong: 'font-weight:bold;',
			em: 'font-style:italic;',
			del: 'text-decoration:line-through;',
			a: `color:${p.accent};text-decoration:none;border-bottom:1px solid ${p.accent};`,
			hr: `border:0;border-top:1px solid ${p.border};margin:1.5em 0;height:0;`,
			list: 'margin:0 0 1em;padding:0;list-style:none;',
			'nested list': 'margin:0;padding:0;list-style:none;',
			// Markers are text (WeChat resets list markers); a hanging indent keeps wrapped lines aligned.
			// (The styling step adds the indent and the marker's width, sized to the list's longest marker.)
			li: 'margin:0.3em 0;list-style:none;',
			'li p': 'margin:0.3em 0;',
			'li block': 'text-indent:0;',
			marker: `display:inline-block;text-indent:0;white-space:nowrap;color:${p.accent};`,
			'table wrap': 'overflow-x:auto;-webkit-overflow-scrolling:touch;max-width:100%;margin:0 0 1em;',
			table: 'border-collapse:collapse;min-width:100%;font-size:14px;line-height:1.5;',
			th: `border:1px solid ${p.border};padding:6px 10px;background:${p.quoteBackground};font-weight:bold;text-align:left;word-break:keep-all;white-space:nowrap;`,
			td: `border:1px solid ${p.border};padding:6px 10px;min-width:4em;word-break:keep-all;`,
			'cell code': `font-family:${MONO};font-size:13px;padding:1px 3px;border-radius:3px;background:${p.inlineCodeBackground};color:${p.inlineCode};word-break:break-all;overflow-wrap:anywhere;`,
			pre: `margin:0 0 1em;padding:12px 14px;background:${p.codeBackground};color:${p.codeText};border:${p.codeBorder};border-radius:8px;overflow-x:auto;-webkit-overflow-scrolling:touch;text-align:left;`,
			'pre code': `display:block;font-family:${MONO};font-size:13px;line-height:1.6;white-space:pre;word-break:normal;letter-spacing:0;background:none;padding:0;color:${p.codeText};`,
			code: `font-family:${MONO};font-size:14px;padding:2px 4px;border-radius:4px;background:${p.inlineCodeBackground};color:${p.inlineCode};`,
			img: 'display:block;max-width:100%;height:auto;margin:0 auto;border-radius:4px;',
			'inline img': 'display:inline-block;max-width:100%;height:auto;vertical-align:middle;margin:0 2px 4px 0;',
			figure: 'margin:0 0 1em;text-align:center;',
			figcaption: `margin:0.5em 0 0;font-size:13px;line-height:1.5;color:${p.muted};text-align:center;`,
			mark: 'background:#fff3b0;padding:0 2px;',
			ins: 'text-decoration:underline;',
			kbd: `font-family:${MONO};font-size:13px;padding:1px 5px;border:1px solid ${p.border};border-radius:3px;`,
			sup: 'font-size:75%;line-height:0;vertical-align:super;',
			'ref mark': `line-height:0;color:${p.accent};`,
			'ref list': `margin:2em 0 0;padding-top:1em;border-top:1px solid ${p.border};font-size:13px;line-height:1.6;color:${p.muted};`,
			'ref entry': 'margin:0 0 0.4em;word-break:break-all;',
			'ref entry p': 'margin:0 0 0.4em;',
			...calloutStyles(p),
			'ref number': `color:${p.accent};`,
			'ref url': 'font-style:italic;',
		},
	};
}

const THEME_TABLE: Record<string, Theme> = {
	/** WeChat green accents, light code blocks: the look readers know from WeChat. */
	default: theme(
		{
			text: '#333333', muted: '#666666', accent: '#07c160', border: '#e5e5e5', quoteBackground: '#f7f7f7',
			codeBackground: '#f6f8fa', codeBorder: '1px solid #eaecef', codeText: '#24292f', inlineCodeBackground: '#f2f2f2', inlineCode: '#d14',
			font: "-apple-system, BlinkMacSystemFont, 'PingFang SC', 'Helvetica Neue', 'Microsoft YaHei', sans-serif",
			codeColors: LIGHT_CODE,
		},
		{
			// Each level marked its own way: h1 underlined and centred, h2 a tinted band, h3 a thin bar.
			h1: 'display:table;font-size:22px;margin:1.2em auto 0.8em;padding:0 0.5em 0.2em;text-align:center;border-bottom:2px solid #07c160;',
			h2: 'font-size:20px;margin:1.8em 0 0.8em;padding:0.25em 10px;border-left:4px solid #07c160;background:#f0faf4;border-radius:0 4px 4px 0;',
			h3: 'font-size:18px;margin:1.5em 0 0.6em;padding-left:8px;border-left:2px solid #07c160;',
		},
		['•', '◦', '▪'],
	),
	/** Serif text, muted brown accents, centred headings: for essays and long reads. */
	classic: theme(
		{
			text: '#3f3f3f', muted: '#7a7a7a', accent: '#a0522d', border: '#e0dcd5', quoteBackground: '#faf7f2',
			codeBackground: '#faf7f2', codeBorder: '1px solid #ece6dc', codeText: '#3f3f3f', inlineCodeBackground: '#f3efe8', inlineCode: '#a0522d',
			font: "Georgia, 'Songti SC', 'Noto Serif SC', 'STSong', serif",
			codeColors: LIGHT_CODE,
		},
		{
			h1: 'font-size:22px;margin:1.2em 0 0.8em;text-align:center;letter-spacing:1px;',
			h2: 'font-size:20px;margin:1.8em 0 0.8em;text-align:center;padding-bottom:0.3em;border-bottom:1px solid #a0522d;',
			h3: 'font-size:18px;margin:1.4em 0 0.6em;color:#a0522d;',
		},
		['–', '·', '·'],
	),
	/** Blue accents and dark code blocks: for technical articles with a lot of code. */
	tech: theme(
		{
			text: '#2c3e50', muted: '#5f6b7a', accent: '#1e6bb8', border: '#dfe2e5', quoteBackground: '#f3f6fa',
			codeBackground: '#282c34', codeBorder: '0', codeText: '#abb2bf', inlineCodeBackground: '#eef2f7', inlineCode: '#1e6bb8',
			font: "-apple-system, BlinkMacSystemFont, 'PingFang SC', 'Helvetica Neue', 'Microsoft YaHei', sans-serif",
			codeColors: DARK_CODE,
		},
		{
			h1: 'font-size:22px;margin:1.2em 0 0.8em;',
			h2: 'font-size:20px;margin:1.6em 0 0.8em;padding-bottom:0.3em;border-bottom:2px solid #1e6bb8;',
			h3: 'font-size:18px;margin:1.4em 0 0.6em;color:#1e6bb8;',
		},
		['▸', '▹', '·'],
	),
};

export const THEMES: readonly string[] = Object.freeze(Object.keys(THEME_TABLE));
export const DEFAULT_THEME = 'default';

export function themeNamed(name: string): Theme {
	const found = Object.prototype.hasOwnProperty.call(THEME_TABLE, name) ? THEME_TABLE[name] : undefined;
	if (!found) throw new Error(`Unknown theme "${name}": use one of ${THEMES.join(', ')}`);
	return found;
}
