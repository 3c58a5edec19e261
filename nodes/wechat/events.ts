import { XMLParser, XMLValidator } from './vendor/fast-xml-parser';

/** WeChat pushes are small; anything larger is refused before it is parsed. */
export const MAX_XML_BYTES = 1024 * 1024;
/**
 * The envelope of an encrypted push: WeChat's hold a few KB (a text message of 2,048 characters
 * encrypts to under 8 KB); a larger one is refused before its signature is even computed.
 */
export const MAX_ENVELOPE_BYTES = 64 * 1024;

export type WeChatXmlErrorCode =
	| 'EMPTY'
	| 'TOO_LARGE'
	| 'DOCTYPE'
	| 'MALFORMED'
	| 'BAD_ROOT'
	| 'MISSING_FIELD';

export class WeChatXmlError extends Error {
	constructor(
		readonly code: WeChatXmlErrorCode,
		message: string,
	) {
		super(message);
		this.name = 'WeChatXmlError';
	}
}

export type PublishStatusName =
	| 'published'
	| 'publishing'
	| 'originality_check_failed'
	| 'failed'
	| 'audit_rejected'
	| 'deleted_by_user'
	| 'blocked_by_platform'
	| 'unknown';

const STATUS_NAMES: readonly PublishStatusName[] = [
	'published',
	'publishing',
	'originality_check_failed',
	'failed',
	'audit_rejected',
	'deleted_by_user',
	'blocked_by_platform',
];

export function publishStatusName(status: number): PublishStatusName {
	return STATUS_NAMES[status] ?? 'unknown';
}

export interface ArticleDetail {
	count: number;
	item: Array<{ idx: number; article_url: string }>;
}

/** The result of a publish job, as docs/contract.md names it (event item and `freepublish/get`). */
export interface PublishResult {
	publish_id: string;
	publish_status: number;
	status: PublishStatusName;
	article_id: string;
	article_detail: ArticleDetail;
	fail_idx: number[];
	[extra: string]: unknown;
}

export interface PublishEventItem extends PublishResult {
	ToUserName: string;
	FromUserName: string;
	CreateTime: number;
	MsgType: string;
	Event: string;
}

export type WeChatMessage = Record<string, unknown>;

const XML_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const XML_REFERENCE = /&(?:#(\d{1,7})|#x([0-9a-fA-F]{1,6})|(lt|gt|amp|quot|apos));/g;

function decodeReference(reference: string, decimal?: string, hex?: string, name?: string): string {
	if (name) return XML_ENTITIES[name];
	const codePoint = decimal ? Number(decimal) : parseInt(hex as string, 16);
	const isXmlChar =
		codePoint === 0x9 || codePoint === 0xa || codePoint === 0xd ||
		(codePoint >= 0x20 && codePoint <= 0xd7ff) ||
		(codePoint >= 0xe000 && codePoint <= 0x10ffff && codePoint !== 0xfffe && codePoint !== 0xffff);
	return isXmlChar ? String.fromCodePoint(codePoint) : reference;
}

/**
 * XML's five named entities and character references, nothing else. The library decodes
 * character references only together with HTML's named entities, which XML does not have.
 */
const xmlEntityDecoder = {
	decode: (text: string) => (text.includes('&') ? text.replace(XML_REFERENCE, decodeReference) : text),
	setExternalEntities: () => undefined,
	addInputEntities: () => undefined,
	reset: () => undefined,
	setXmlVersion: () => undefined,
};

const parser = new XMLParser({
	ignoreAttributes: true,
	ignoreDeclaration: true,
	ignorePiTags: true,
	// Every value stays a string: IDs must never pass through a JavaScript number.
	parseTagValue: false,
	// A DOCTYPE never gets this far, so no declared entity can be expanded.
	processEntities: true,
	entityDecoder: xmlEntityDecoder,
	// No callback here reads the path of a tag: building a path string per tag and text cost a
	// sixth of the parse of a push.
	jPath: false,
	// Repeated elements become arrays, single ones stay values: the item mappers make arrays.
});

/**
 * Refuses DOCTYPE, ENTITY and any other `<!` markup but comments and CDATA, so no entity can be
 * declared, expanded or fetched. A linear scan: CDATA contents are skipped, never inspected.
 */
function assertNoDeclarations(xml: string): void {
	let at = xml.indexOf('<!');
	while (at !== -1) {
		if (xml.startsWith('<![CDATA[', at)) {
			const end = xml.indexOf(']]>', at + 9);
			if (end === -1) throw new WeChatXmlError('MALFORMED', 'unterminated CDATA section');
			at = xml.indexOf('<!', end + 3);
		} else if (xml.startsWith('<!--', at)) {
			const end = xml.indexOf('-->', at + 4);
			if (end === -1) throw new WeChatXmlError('MALFORMED', 'unterminated comment');
			at = xml.indexOf('<!', end + 3);
		} else {
			throw new WeChatXmlError('DOCTYPE', 'DOCTYPE and entity declarations are not accepted');
		}
	}
}

export interface ParseOptions {
	/**
	 * The text was decrypted from an `<Encrypt>` whose msg_signature verified, so WeChat wrote it:
	 * the well-formedness check, a second full pass over the text, is skipped. DOCTYPE and
	 * entity declarations are refused all the same.
	 */
	authenticated?: boolean;
}

/** Size, emptiness, declarations and (unless authenticated) well-formedness, before any parse. */
function checkXml(xml: string, options: ParseOptions): void {
	if (Buffer.byteLength(xml, 'utf8') > MAX_XML_BYTES) {
		throw new WeChatXmlError('TOO_LARGE', `XML body is larger than ${MAX_XML_BYTES} bytes`);
	}
	if (xml.trim() === '') throw new WeChatXmlError('EMPTY', 'empty body');
	assertNoDeclarations(xml);
	if (!options.authenticated) {
		const valid = XMLValidator.validate(xml);
		if (valid !== true) {
			throw new WeChatXmlError('MALFORMED', `malformed XML: ${valid.err.msg}`);
		}
	}
}

/**
 * Parses one WeChat XML message (a push, or the envelope of an encrypted one) into the children
 * of its `<xml>` root. Every leaf value is a string.
 */
export function parseXmlMessage(xml: string, options: ParseOptions = {}): WeChatMessage {
	checkXml(xml, options);
	return parseCheckedXml(xml);
}

const CDATA_OPEN = '<![CDATA[';
const CDATA_CLOSE = ']]>';
const ENCRYPT_OPEN = '<Encrypt>';
const ENCRYPT_CLOSE = '</Encrypt>';
const XML_DECLARATION = /^\s*(?:<\?xml[^>]{0,200}\?>)?\s*<xml>/;

/**
 * The `<Encrypt>` text of a compatible or safe mode envelope, found by a bounded scan instead of
 * a parse: the envelope is at most MAX_ENVELOPE_BYTES, holds no declarations, starts with `<xml>`
 * and ends with `</xml>`, and has exactly one `<Encrypt>`. Nothing else of it is read: the
 * message is the decrypted text, and the caller verifies msg_signature over exactly this text
 * before it decrypts or parses anything (a forged envelope costs a few string searches).
 */
export function readEnvelopeEncrypt(xml: string): string {
	if (xml.length > MAX_ENVELOPE_BYTES || Buffer.byteLength(xml, 'utf8') > MAX_ENVELOPE_BYTES) {
		throw new WeChatXmlError('TOO_LARGE', `encrypted envelope is larger than ${MAX_ENVELOPE_BYTES} bytes`);
	}
	if (xml.trim() === '') throw new WeChatXmlError('EMPTY', 'empty body');
	assertNoDeclarations(xml);
	if (!XML_DECLARATION.test(xml)) throw new WeChatXmlError('BAD_ROOT', 'root element must be <xml>');
	if (!xml.trimEnd().endsWith('</xml>')) throw new WeChatXmlError('MALFORMED', 'malformed XML: <xml> is not closed');
	const open = xml.indexOf(ENCRYPT_OPEN);
	const close = xml.indexOf(ENCRYPT_CLOSE, open);
	if (open === -1 || close === -1 || xml.indexOf(ENCRYPT_OPEN, open + ENCRYPT_OPEN.length) !== -1) {
		throw new WeChatXmlError('MISSING_FIELD', 'encrypted message without exactly one <Encrypt>');
	}
	let encrypt = xml.slice(open + ENCRYPT_OPEN.length, close).trim();
	if (encrypt.startsWith(CDATA_OPEN) && encrypt.endsWith(CDATA_CLOSE)) {
		encrypt = encrypt.slice(CDATA_OPEN.length, -CDATA_CLOSE.length);
	}
	if (encrypt === '' || encrypt.includes('<')) {
		throw new WeChatXmlError('MISSING_FIELD', 'encrypted message without <Encrypt> text');
	}
	return encrypt;
}

function parseCheckedXml(xml: string): WeChatMessage {
	let document: Record<string, unknown> | undefined;
	let failure = '';
	try {
		document = parser.parse(xml) as Record<string, unknown>;
	} catch (error) {
		// The library refuses some names (`__proto__`, `constructor`) with a plain Error.
		failure = (error as Error).message;
	}
	if (document === undefined) throw new WeChatXmlError('MALFORMED', `malformed XML: ${failure}`);
	const roots = Object.keys(document);
	if (roots.length !== 1 || roots[0] !== 'xml') {
		throw new WeChatXmlError('BAD_ROOT', 'root element must be <xml>');
	}
	const root = document.xml;
	if (root === null || typeof root !== 'object' || Array.isArray(root)) {
		throw new WeChatXmlError('BAD_ROOT', '<xml> root has no fields');
	}
	return root as WeChatMessage;
}

const DIGITS = /^\d+$/;

export function asInteger(value: unknown, field: string): number {
	const text = typeof value === 'number' ? String(value) : value;
	if (typeof text !== 'string' || !DIGITS.test(text.trim())) {
		throw new WeChatXmlError('MISSING_FIELD', `${field} is missing or not a whole number`);
	}
	return Number(text.trim());
}

/** A string ID from XML text or a JSON number, never rounded further than JSON already did. */
export function asId(value: unknown): string {
	if (typeof value === 'string') return value.trim();
	if (typeof value === 'number' || typeof value === 'bigint') return String(value);
	return '';
}

/** Empty elements count as none: WeChat sends `fail_idx` "empty" for most statuses. */
export function asArray(value: unknown): unknown[] {
	if (value === undefined || value === null) return [];
	return (Array.isArray(value) ? value : [value]).filter((entry) => entry !== '');
}

function toArticleDetail(value: unknown): ArticleDetail {
	if (value === null || typeof value !== 'object') return { count: 0, item: [] };
	const detail = value as Record<string, unknown>;
	const item = asArray(detail.item).map((entry) => {
		const article = (entry ?? {}) as Record<string, unknown>;
		return {
			idx: asInteger(article.idx, 'article_detail.item.idx'),
			article_url: typeof article.article_url === 'string' ? article.article_url : '',
		};
	});
	const count = detail.count === undefined ? item.length : asInteger(detail.count, 'article_detail.count');
	return { count, item };
}

const RESULT_FIELDS = new Set(['publish_id', 'publish_status', 'article_id', 'article_detail', 'fail_idx']);

/**
 * Normalises a publish job's result, from the XML push's PublishEventInfo or from the JSON of
 * `freepublish/get`: string IDs, numeric status and indexes, arrays always arrays.
 */
export function toPublishResult(fields: Record<string, unknown>): PublishResult {
	const publishId = asId(fields.publish_id);
	if (publishId === '') throw new WeChatXmlError('MISSING_FIELD', 'publish_id is missing');
	const publishStatus = asInteger(fields.publish_status, 'publish_status');
	const result: PublishResult = {
		publish_id: publishId,
		publish_status: publishStatus,
		status: publishStatusName(publishStatus),
		article_id: asId(fields.article_id),
		article_detail: toArticleDetail(fields.article_detail),
		fail_idx: asArray(fields.fail_idx).map((idx) => asInteger(idx, 'fail_idx')),
	};
	for (const [key, value] of Object.entries(fields)) {
		if (!RESULT_FIELDS.has(key)) result[key] = value;
	}
	return result;
}

export function isPublishEvent(message: WeChatMessage): boolean {
	return message.MsgType === 'event' && message.Event === 'PUBLISHJOBFINISH';
}

/** A `PUBLISHJOBFINISH` push as the trigger emits it: PublishEventInfo lifted to the top. */
export function toPublishEventItem(message: WeChatMessage): PublishEventItem {
	const info = message.PublishEventInfo;
	if (info === null || typeof info !== 'object' || Array.isArray(info)) {
		throw new WeChatXmlError('MISSING_FIELD', 'PUBLISHJOBFINISH without PublishEventInfo');
	}
	return {
		ToUserName: asId(message.ToUserName),
		FromUserName: asId(message.FromUserName),
		CreateTime: asInteger(message.CreateTime, 'CreateTime'),
		MsgType: 'event',
		Event: 'PUBLISHJOBFINISH',
		...toPublishResult(info as Record<string, unknown>),
	};
}

/** Any other message keeps WeChat's field names; only CreateTime becomes a number. */
export function toMessageItem(message: WeChatMessage): WeChatMessage {
	const createTime = message.CreateTime;
	if (typeof createTime === 'string' && DIGITS.test(createTime)) {
		return { ...message, CreateTime: Number(createTime) };
	}
	return { ...message };
}
