// SVG's mixed-case names, which an HTML parser reads in lower case and puts back inside <svg> (the
// HTML standard's tables for foreign content). The tree keeps them as SVG spells them, so the
// sanitiser's allow-list and every re-serialisation (Draft → Create parses its rendered HTML
// again) send viewBox, not viewbox.
const TAGS = [
	'altGlyph', 'altGlyphDef', 'altGlyphItem', 'animateColor', 'animateMotion', 'animateTransform', 'clipPath', 'feBlend',
	'feColorMatrix', 'feComponentTransfer', 'feComposite', 'feConvolveMatrix', 'feDiffuseLighting', 'feDisplacementMap',
	'feDistantLight', 'feDropShadow', 'feFlood', 'feFuncA', 'feFuncB', 'feFuncG', 'feFuncR', 'feGaussianBlur', 'feImage',
	'feMerge', 'feMergeNode', 'feMorphology', 'feOffset', 'fePointLight', 'feSpecularLighting', 'feSpotLight', 'feTile',
	'feTurbulence', 'foreignObject', 'glyphRef', 'linearGradient', 'radialGradient', 'textPath',
];
const ATTRIBUTES = [
	'attributeName', 'attributeType', 'baseFrequency', 'baseProfile', 'calcMode', 'clipPathUnits', 'diffuseConstant',
	'edgeMode', 'filterUnits', 'glyphRef', 'gradientTransform', 'gradientUnits', 'kernelMatrix', 'kernelUnitLength',
	'keyPoints', 'keySplines', 'keyTimes', 'lengthAdjust', 'limitingConeAngle', 'markerHeight', 'markerUnits',
	'markerWidth', 'maskContentUnits', 'maskUnits', 'numOctaves', 'pathLength', 'patternContentUnits', 'patternTransform',
	'patternUnits', 'pointsAtX', 'pointsAtY', 'pointsAtZ', 'preserveAlpha', 'preserveAspectRatio', 'primitiveUnits',
	'refX', 'refY', 'repeatCount', 'repeatDur', 'requiredExtensions', 'requiredFeatures', 'specularConstant',
	'specularExponent', 'spreadMethod', 'startOffset', 'stdDeviation', 'stitchTiles', 'surfaceScale', 'systemLanguage',
	'tableValues', 'targetX', 'targetY', 'textLength', 'viewBox', 'viewTarget', 'xChannelSelector', 'yChannelSelector',
	'zoomAndPan',
];
const TAG_CASE = new Map(TAGS.map((name) => [name.toLowerCase(), name]));
const ATTRIBUTE_CASE = new Map(ATTRIBUTES.map((name) => [name.toLowerCase(), name]));

/** An element name (lower case, as parsed) inside <svg> as SVG spells it. */
export function svgTagName(name: string): string {
	return TAG_CASE.get(name) ?? name;
}

/** `attrs` (names in lower case, as parsed) of an element inside <svg>, named as SVG spells them. */
export function svgAttributes(attrs: Record<string, string>): Record<string, string> {
	const named: Record<string, string> = Object.create(null) as Record<string, string>;
	for (const name in attrs) named[ATTRIBUTE_CASE.get(name) ?? name] = attrs[name];
	return named;
}
