/**
 * Inline SVG as WeChat's editor keeps it: shapes, text and animations stay; what points at an id
 * does not, because id, class and <defs> are dropped, and so is an animation of an attribute
 * outside WeChat's list (a tool that pastes SVG into WeChat, doocs/md, documents the list).
 * Scripts and styles go with the rest of the content's (see keptContent).
 */
const ANIMATED = new Set(['x', 'y', 'width', 'height', 'opacity', 'd', 'points', 'stroke-width', 'stroke-linecap', 'stroke-dashoffset', 'fill', 'visibility', 'transform']);

function keptSvg(svg: string): string {
	return svg
		.replace(/<defs\b[\s\S]*?<\/defs\s*>/gi, '')
		.replace(/<(animate|animateTransform|set)\b[^>]*?(?:\/>|>[\s\S]*?<\/\1\s*>)/gi, (animation) => {
			const name = /\sattributeName\s*=\s*["']?([^"'\s>]+)/i.exec(animation)?.[1] ?? '';
			return ANIMATED.has(name) ? animation : '';
		})
		.replace(/\s(?:id|class|on\w+)\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)/gi, '');
}

/** `html` with every inline <svg> as WeChat keeps it. */
export function keptSvgs(html: string): string {
	return html.replace(/<svg\b[\s\S]*?<\/svg\s*>/gi, keptSvg);
}
