// Stands in for MathJax's SVG <maction> wrapper, whose hover tooltips and toggles set timers (n8n's
// scanner bans setTimeout in shipped code, and a server-side drawing has no mouse). The article
// renderer loads no TeX package that makes an maction (\mathtip and \toggle are in "action"), so
// should one appear it is drawn as a plain group of its children.
import { SVGWrapper } from 'mathjax-full/js/output/svg/Wrapper.js';

export class SVGmaction extends SVGWrapper {
	static kind = 'maction';
}
