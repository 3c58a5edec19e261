// Inline SVG through the allow-list of what WeChat's editor keeps: shapes, text and the animations
// whose attributeName it accepts. WeChat drops id, class and <defs> and so every reference into
// them, so <use> is expanded in place and a url(#gradient) paint becomes the gradient's first
// colour; nothing may point outside the SVG (no href but #id, no url() but #id), nothing runs
// (no script, handler or foreignObject).
import { cleanStyle, decodeCssEscapes, isSafeCss } from './css';
import { element, forEachElement, type HtmlElement, type HtmlNode } from './html';
import type { Warnings } from './warnings';

/** Elements kept (named as SVG spells them, as the parser keeps them inside <svg>). */
const ELEMENTS = new Set([
	'svg', 'g', 'path', 'rect', 'circle', 'ellipse', 'line', 'polyline', 'polygon', 'text', 'tspan', 'animate', 'set',
	'animateTransform', 'animateMotion',
]);
/** Definitions draw nothing themselves; what refers to them is resolved first, then they go. */
const DEFINITIONS = new Set([
	'defs', 'symbol', 'linearGradient', 'radialGradient', 'stop', 'clipPath', 'mask', 'marker', 'pattern', 'title',
	'desc', 'metadata',
]);

const ATTRIBUTE_NAMES = [
	// geometry and text layout
	'x', 'y', 'x1', 'y1', 'x2', 'y2', 'cx', 'cy', 'r', 'rx', 'ry', 'width', 'height', 'd', 'points', 'viewBox',
	'preserveAspectRatio', 'transform', 'dx', 'dy', 'rotate', 'textLength', 'lengthAdjust', 'pathLength',
	// presentation
	'fill', 'fill-opacity', 'fill-rule', 'stroke', 'stroke-width', 'stroke-opacity', 'stroke-linecap',
	'stroke-linejoin', 'stroke-dasharray', 'stroke-dashoffset', 'stroke-miterlimit', 'opacity', 'color', 'visibility',
	'display', 'font-family', 'font-size', 'font-weight', 'font-style', 'text-anchor', 'dominant-baseline',
	'alignment-baseline', 'baseline-shift', 'letter-spacing', 'word-spacing', 'text-decoration', 'vector-effect',
	'paint-order', 'shape-rendering', 'text-rendering', 'style',
	// animation (attributeName is checked against ANIMATED_ATTRIBUTES)
	'attributeName', 'begin', 'dur', 'end', 'from', 'to', 'by', 'values', 'keyTimes', 'keySplines', 'keyPoints',
	'calcMode', 'repeatCount', 'repeatDur', 'restart', 'additive', 'accumulate', 'type', 'path', 'min', 'max',
	// the root's own
	'xmlns', 'version', 'role', 'aria-hidden', 'aria-label', 'focusable',
];
const ATTRIBUTES = new Set(ATTRIBUTE_NAMES);
/** The attributeName values WeChat accepts in animations (never href: that would animate a link). */
const ANIMATED_ATTRIBUTES = new Set([
	'x', 'y', 'width', 'height', 'opacity', 'd', 'points', 'stroke-width', 'stroke-linecap', 'stroke-dashoffset',
	'fill', 'visibility', 'transform',
]);
const ANIMATIONS = new Set(['animate', 'set', 'animateTransform']);
const PAINTS = new Set(['fill', 'stroke']);
/** <use> inside what a <use> copies is expanded this deep, and no SVG grows by more than this many elements. */
const MAX_USE_DEPTH = 4;
const MAX_COPIED_ELEMENTS = 5000;

const LOCAL_REFERENCE = /^\s*url\(\s*['"]?#([^'")\s]+)['"]?\s*\)\s*$/i;

function warnRemoved(warnings: Warnings, what: string): void {
	warnings.add(`Removed ${what} from inline SVG: WeChat keeps only shapes, text and animations, and nothing that points outside.`);
}

function copy(node: HtmlElement): HtmlElement {
	const children = node.children.map((child) => (child.type === 'text' ? { ...child } : copy(child)));
	return element(node.tag, { ...node.attrs }, children);
}


class SvgCleaner {
	private readonly byId = new Map<string, HtmlElement>();
	private readonly sizes = new Map<HtmlElement, number>();
	private copied = 0;

	constructor(
		root: HtmlElement,
		private readonly warnings: Warnings,
	) {
		forEachElement([root], (node) => {
			if (node.attrs.id && !this.byId.has(node.attrs.id)) this.byId.set(node.attrs.id, node);
		});
	}

	nodes(nodes: HtmlNode[], useDepth: number): HtmlNode[] {
		const result: HtmlNode[] = [];
		for (const node of nodes) {
			if (node.type === 'text') result.push(node);
			else if (node.tag === 'use') result.push(...this.use(node, useDepth));
			else if (node.tag === 'a') {
				warnRemoved(this.warnings, 'links (their drawing stays)');
				result.push(...this.nodes(node.children, useDepth));
			} else if (ANIMATIONS.has(node.tag) && !ANIMATED_ATTRIBUTES.has((node.attrs.attributeName ?? '').trim())) {
				warnRemoved(this.warnings, `an animation of "${node.attrs.attributeName ?? ''}"`);
			} else if (ELEMENTS.has(node.tag)) result.push(this.element(node, useDepth));
			else if (!DEFINITIONS.has(node.tag)) warnRemoved(this.warnings, `<${node.tag}>`);
		}
		return result;
	}

	private element(node: HtmlElement, useDepth: number): HtmlElement {
		const attrs: Record<string, string> = {};
		for (const [name, value] of Object.entries(node.attrs)) {
			const kept = this.attribute(name, value);
			if (kept !== undefined) attrs[name] = kept;
		}
		return element(node.tag, attrs, this.nodes(node.children, useDepth));
	}

	/** The value an attribute keeps, or undefined when it goes. */
	private attribute(name: string, value: string): string | undefined {
		if (name.startsWith('on')) {
			this.warnings.add('Removed event handler attributes (on…): scripts never run in a WeChat article.');
			return undefined;
		}
		if (!ATTRIBUTES.has(name)) return undefined;
		// Words for screen readers (drawn math's TeX): never fetched or run, so no CSS to check.
		if (name === 'aria-label') return value;
		if (name === 'style') return cleanStyle(value, () => warnRemoved(this.warnings, 'style declarations that load resources')) || undefined;
		const local = LOCAL_REFERENCE.exec(decodeCssEscapes(value));
		if (local) return PAINTS.has(name) ? this.gradientColour(local[1]) : undefined;
		if (isSafeCss(value)) return value;
		warnRemoved(this.warnings, `a ${name} that loads a resource`);
		return undefined;
	}

	/** A url(#id) paint as its gradient's first stop colour (WeChat drops the gradient itself). */
	private gradientColour(id: string): string | undefined {
		const stop = this.byId.get(id)?.children.find((child) => child.type === 'element' && child.tag === 'stop') as HtmlElement | undefined;
		const colour = stop?.attrs['stop-color'] ?? /(?:^|;)\s*stop-color\s*:\s*([^;]+)/i.exec(stop?.attrs.style ?? '')?.[1];
		return colour !== undefined && isSafeCss(colour) ? colour.trim() : undefined;
	}

	private size(node: HtmlElement): number {
		const known = this.sizes.get(node);
		if (known !== undefined) return known;
		let size = 1;
		forEachElement(node.children, () => {
			size++;
		});
		this.sizes.set(node, size);
		return size;
	}

	/** A <use> of an element of the same SVG, as a group holding a copy of it. */
	private use(node: HtmlElement, useDepth: number): HtmlNode[] {
		const href = (node.attrs.href ?? node.attrs['xlink:href'] ?? '').trim();
		const target = href.startsWith('#') ? this.byId.get(href.slice(1)) : undefined;
		if (!target || useDepth >= MAX_USE_DEPTH || this.copied + this.size(target) > MAX_COPIED_ELEMENTS) {
			warnRemoved(this.warnings, target ? '<use> copies past the size limit' : '<use> of something outside the SVG');
			return [];
		}
		this.copied += this.size(target);
		const copied = copy(target);
		delete copied.attrs.id;
		const offset = `translate(${Number.parseFloat(node.attrs.x ?? '0') || 0},${Number.parseFloat(node.attrs.y ?? '0') || 0})`;
		const group = element('g', { ...node.attrs, transform: `${offset} ${node.attrs.transform ?? ''}`.trim() });
		delete group.attrs.href;
		delete group.attrs['xlink:href'];
		delete group.attrs.x;
		delete group.attrs.y;
		// A symbol (or nested svg) is its content; anything else is itself.
		group.children = copied.tag === 'symbol' || copied.tag === 'svg' ? copied.children : [copied];
		return [this.element(group, useDepth + 1)];
	}
}

/** `svg` (an <svg> element as parsed) cleaned to what WeChat keeps; `warnings` learns what went. */
export function sanitizeSvg(svg: HtmlElement, warnings: Warnings): HtmlElement {
	return new SvgCleaner(svg, warnings).nodes([svg], 0)[0] as HtmlElement;
}
