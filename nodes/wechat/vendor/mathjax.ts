// The one place the package imports MathJax: TeX in, SVG out, on MathJax's own light DOM (no
// browser). Only the TeX packages articles use are registered (base, ams). The build replaces
// this module's output with a bundle, so dist/ requires nothing n8n lacks.
export { mathjax } from 'mathjax-full/js/mathjax.js';
export { TeX } from 'mathjax-full/js/input/tex.js';
export { SVG } from 'mathjax-full/js/output/svg.js';
export { liteAdaptor } from 'mathjax-full/js/adaptors/liteAdaptor.js';
export { RegisterHTMLHandler } from 'mathjax-full/js/handlers/html.js';
import 'mathjax-full/js/input/tex/base/BaseConfiguration.js';
import 'mathjax-full/js/input/tex/ams/AmsConfiguration.js';
