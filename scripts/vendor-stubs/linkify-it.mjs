// Stands in for linkify-it in the bundled markdown-it. markdown-it builds a linkify-it instance
// for its `linkify` option (bare URLs as links), which the article renderer leaves off; the stub
// keeps 11 KB out of dist/ and fails loudly should the option ever be turned on.
export class LinkifyIt {
	constructor() {
		const unavailable = () => {
			throw new Error("linkify-it is not bundled: markdown-it's linkify option cannot be used");
		};
		this.test = unavailable;
		this.pretest = unavailable;
		this.match = unavailable;
		this.matchAtStart = unavailable;
		this.set = unavailable;
	}
}
