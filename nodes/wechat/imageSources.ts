/**
 * Where an article image comes from, and whether WeChat keeps it as it is. draft/add filters out
 * every image URL that did not come from media/uploadimg (WeChat's image hosts), see
 * https://developers.weixin.qq.com/doc/offiaccount/Draft_Box/Add_draft.html
 * Pure: no I/O; the node downloads and uploads.
 */

/** The hosts of the URLs media/uploadimg and add_material hand out. */
export const WECHAT_IMAGE_HOSTS: readonly string[] = ['mmbiz.qpic.cn', 'mmbiz.qlogo.cn'];

export type ImageSource =
	| { kind: 'wechat'; src: string }
	| { kind: 'url'; src: string; url: URL }
	| { kind: 'data'; src: string; mimeType: string; data: Buffer }
	| { kind: 'binary'; src: string; property: string }
	| { kind: 'invalid'; src: string; reason: string };

export const BINARY_PREFIX = 'binary:';

/**
 * `extraHosts` are `host[:port]` values also counted as WeChat's (the credential's base URL host:
 * a sandbox or proxy that serves the uploaded images itself).
 */
export function classifyImageSource(src: string, extraHosts: readonly string[] = []): ImageSource {
	const trimmed = src.trim();
	if (trimmed === '') return { kind: 'invalid', src, reason: 'the image has no src' };
	if (trimmed.toLowerCase().startsWith(BINARY_PREFIX)) {
		const property = trimmed.slice(BINARY_PREFIX.length).trim();
		if (property === '') return { kind: 'invalid', src, reason: '"binary:" names no binary property' };
		return { kind: 'binary', src, property };
	}
	if (/^data:/i.test(trimmed)) return parseDataUri(trimmed);
	let url: URL;
	try {
		url = new URL(trimmed.startsWith('//') ? `https:${trimmed}` : trimmed);
	} catch {
		return { kind: 'invalid', src, reason: 'the src is not a full http(s) URL, a data: URI or binary:<property>' };
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		return { kind: 'invalid', src, reason: `${url.protocol} URLs cannot be downloaded` };
	}
	const hostname = url.hostname.toLowerCase();
	if (WECHAT_IMAGE_HOSTS.includes(hostname) || extraHosts.includes(url.host.toLowerCase())) {
		return { kind: 'wechat', src };
	}
	return { kind: 'url', src, url };
}

function parseDataUri(src: string): ImageSource {
	const match = /^data:([^,]*?),(.*)$/is.exec(src);
	if (!match) return { kind: 'invalid', src, reason: 'the data: URI has no comma' };
	const meta = match[1].split(';').map((part) => part.trim());
	const isBase64 = meta.slice(1).some((part) => part.toLowerCase() === 'base64');
	const mimeType = meta[0] === '' ? 'text/plain' : meta[0].toLowerCase();
	let data: Buffer;
	try {
		data = isBase64
			? Buffer.from(match[2].replace(/\s+/g, ''), 'base64')
			: Buffer.from(decodeURIComponent(match[2]), 'utf8');
	} catch {
		return { kind: 'invalid', src, reason: 'the data: URI is not correctly encoded' };
	}
	if (data.length === 0) return { kind: 'invalid', src, reason: 'the data: URI holds no data' };
	return { kind: 'data', src, mimeType, data };
}

/** A src for messages: data: URIs shortened, so an error does not carry a megabyte of base64. */
export function describeSource(src: string): string {
	const trimmed = src.trim();
	if (/^data:/i.test(trimmed)) return `${trimmed.slice(0, Math.min(trimmed.indexOf(',') + 1 || 30, 40))}… (${trimmed.length} characters)`;
	return trimmed.length > 200 ? `${trimmed.slice(0, 200)}…` : trimmed;
}

// Private networks: loopback, private, link-local, carrier-grade NAT, unspecified, and the
// cloud metadata addresses (169.254.169.254, Alibaba Cloud's 100.100.100.200, AWS's fd00:ec2::254).

const BLOCKED_V4: Array<[number, number]> = [
	[0x00000000, 8], // 0.0.0.0/8
	[0x0a000000, 8], // 10/8
	[0x64400000, 10], // 100.64/10 (carrier-grade NAT; holds 100.100.100.200)
	[0x7f000000, 8], // 127/8
	[0xa9fe0000, 16], // 169.254/16 (link-local; cloud metadata)
	[0xac100000, 12], // 172.16/12
	[0xc0a80000, 16], // 192.168/16
	[0xc0000000, 24], // 192.0.0/24
];

const BLOCKED_NAMES = [/^localhost$/, /\.localhost$/, /^metadata\.google\.internal$/, /^metadata$/, /\.internal$/, /\.local$/];

function ipv4ToNumber(text: string): number | undefined {
	const parts = text.split('.');
	if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255)) return undefined;
	return parts.reduce((value, part) => value * 256 + Number(part), 0);
}

function isBlockedV4(address: number): boolean {
	return BLOCKED_V4.some(([base, bits]) => Math.floor(address / 2 ** (32 - bits)) === Math.floor(base / 2 ** (32 - bits)));
}

/** An IPv6 literal as 8 groups, or undefined; an embedded IPv4 tail becomes two groups. */
function ipv6Groups(text: string): number[] | undefined {
	let address = text.toLowerCase();
	const v4Tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
	if (v4Tail) {
		const v4 = ipv4ToNumber(v4Tail[1]);
		if (v4 === undefined) return undefined;
		address = `${address.slice(0, -v4Tail[1].length)}${Math.floor(v4 / 65536).toString(16)}:${(v4 % 65536).toString(16)}`;
	}
	const halves = address.split('::');
	if (halves.length > 2) return undefined;
	const head = halves[0] ? halves[0].split(':') : [];
	const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
	const missing = 8 - head.length - tail.length;
	if ((halves.length === 1 && missing !== 0) || missing < 0) return undefined;
	const groups = [...head, ...new Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
	if (!groups.every((group) => /^[0-9a-f]{1,4}$/.test(group))) return undefined;
	return groups.map((group) => parseInt(group, 16));
}

function isBlockedV6(groups: number[]): boolean {
	const [first] = groups;
	if (groups.every((group) => group === 0)) return true; // ::
	if (groups.slice(0, 7).every((group) => group === 0) && groups[7] === 1) return true; // ::1
	if ((first & 0xffc0) === 0xfe80) return true; // fe80::/10 link-local
	if ((first & 0xfe00) === 0xfc00) return true; // fc00::/7 unique local (holds fd00:ec2::254)
	// ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible): judge the IPv4 address inside.
	const mapped = groups.slice(0, 5).every((group) => group === 0) && (groups[5] === 0xffff || groups[5] === 0);
	// 64:ff9b::a.b.c.d (NAT64, RFC 6052): the gateway connects to the IPv4 address inside. Public
	// ones stay allowed: on an IPv6-only network (DNS64) every public host resolves to one.
	const nat64 = first === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((group) => group === 0);
	// 64:ff9b:1::/48 is for NAT64 inside one organisation's network (RFC 8215): private.
	if (first === 0x64 && groups[1] === 0xff9b && groups[2] === 1) return true;
	return (mapped || nat64) && isBlockedV4(groups[6] * 65536 + groups[7]);
}

/**
 * Why this URL's host is a private-network address, judged from the URL alone (literal IPs, in
 * every notation WHATWG URL parsing normalises, and names such as localhost), or undefined.
 * Names that only DNS resolves to a private address are not seen here.
 */
export function privateNetworkReason(url: URL): string | undefined {
	const hostname = url.hostname.toLowerCase().replace(/\.$/, '');
	if (BLOCKED_NAMES.some((pattern) => pattern.test(hostname))) return `${hostname} is a local or cloud-internal name`;
	if (hostname.startsWith('[') && hostname.endsWith(']')) {
		const groups = ipv6Groups(hostname.slice(1, -1));
		return groups === undefined || isBlockedV6(groups) ? `${hostname} is a loopback, private or link-local address` : undefined;
	}
	const v4 = ipv4ToNumber(hostname);
	if (v4 !== undefined && isBlockedV4(v4)) return `${hostname} is a loopback, private, link-local or cloud-metadata address`;
	return undefined;
}
