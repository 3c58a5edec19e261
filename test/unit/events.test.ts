import {
	isPublishEvent,
	MAX_XML_BYTES,
	parseXmlMessage,
	readEnvelopeEncrypt,
	publishStatusName,
	toMessageItem,
	toPublishEventItem,
	toPublishResult,
	WeChatXmlError,
	type WeChatXmlErrorCode,
} from '../../nodes/wechat/events';
import { routeMessage } from '../../nodes/WeChatOfficialAccountTrigger/routes';
import { thrownCode } from '../helpers/thrownCode';

function publishXml(info: string): string {
	return (
		'<xml>\n' +
		'  <ToUserName><![CDATA[gh_4d00ed8d6399]]></ToUserName>\n' +
		'  <FromUserName><![CDATA[oV5CrjpxgaGXNHIQigzNlgLTnwic]]></FromUserName>\n' +
		'  <CreateTime>1481013459</CreateTime>\n' +
		'  <MsgType><![CDATA[event]]></MsgType>\n' +
		'  <Event><![CDATA[PUBLISHJOBFINISH]]></Event>\n' +
		`  <PublishEventInfo>${info}</PublishEventInfo>\n` +
		'</xml>'
	);
}

function publishItem(xml: string) {
	return toPublishEventItem(parseXmlMessage(xml));
}

function xmlErrorCode(run: () => unknown): WeChatXmlErrorCode | 'no error' | 'untyped error' {
	return thrownCode(WeChatXmlError, run);
}

// WeChat's documented success push
// (https://developers.weixin.qq.com/doc/offiaccount/Publish/Callback_on_finish.html), and the
// item of docs/contract.md.
const PUBLISHED_XML = publishXml(`
    <publish_id>2247503051</publish_id>
    <publish_status>0</publish_status>
    <article_id><![CDATA[b5O2OUs25HBxRceL7hfReg-U9QGeq9zQjiDvyWP4Hq4]]></article_id>
    <article_detail>
      <count>1</count>
      <item>
        <idx>1</idx>
        <article_url><![CDATA[ARTICLE_URL]]></article_url>
      </item>
    </article_detail>
  `);

describe('publish event items', () => {
	it("turns WeChat's documented success push into the item of docs/contract.md, exactly", () => {
		expect(publishItem(PUBLISHED_XML)).toStrictEqual({
			ToUserName: 'gh_4d00ed8d6399',
			FromUserName: 'oV5CrjpxgaGXNHIQigzNlgLTnwic',
			CreateTime: 1481013459,
			MsgType: 'event',
			Event: 'PUBLISHJOBFINISH',
			publish_id: '2247503051',
			publish_status: 0,
			status: 'published',
			article_id: 'b5O2OUs25HBxRceL7hfReg-U9QGeq9zQjiDvyWP4Hq4',
			article_detail: { count: 1, item: [{ idx: 1, article_url: 'ARTICLE_URL' }] },
			fail_idx: [],
		});
	});

	it.each([
		[0, 'published', 0],
		[1, 'publishing', 3],
		[2, 'originality_check_failed', 1],
		[3, 'failed', 1],
		[4, 'audit_rejected', 1],
		[5, 'deleted_by_user', 2],
		[6, 'blocked_by_platform', 2],
		[7, 'unknown', 3],
		[42, 'unknown', 3],
	])('names publish_status %i %s and routes it to output %i', (status, name, output) => {
		const item = publishItem(
			publishXml(`<publish_id>1</publish_id><publish_status>${status}</publish_status>`),
		);
		expect(item.publish_status).toBe(status);
		expect(item.status).toBe(name);
		expect(publishStatusName(status)).toBe(name);
		const message = parseXmlMessage(publishXml(`<publish_id>1</publish_id><publish_status>${status}</publish_status>`));
		expect(routeMessage(message, false)?.output).toBe(output);
	});

	it("takes WeChat's documented failure push with two fail_idx", () => {
		const item = publishItem(
			publishXml(`
    <publish_id>2247503051</publish_id>
    <publish_status>2</publish_status>
    <fail_idx>1</fail_idx>
    <fail_idx>2</fail_idx>
  `),
		);
		expect(item).toMatchObject({
			publish_id: '2247503051',
			publish_status: 2,
			status: 'originality_check_failed',
			article_id: '',
			article_detail: { count: 0, item: [] },
			fail_idx: [1, 2],
		});
	});

	it.each([
		['absent', '', []],
		['one', '<fail_idx>3</fail_idx>', [3]],
		['five', [1, 2, 3, 4, 5].map((i) => `<fail_idx>${i}</fail_idx>`).join(''), [1, 2, 3, 4, 5]],
		['one in CDATA with spaces', '<fail_idx><![CDATA[ 2 ]]></fail_idx>', [2]],
		// WeChat documents fail_idx as "empty" for statuses other than 2 and 4.
		['an empty element', '<fail_idx></fail_idx>', []],
		['a self-closed element', '<fail_idx/>', []],
	])('makes fail_idx an array of numbers when it is %s', (_case, failIdx, expected) => {
		const item = publishItem(
			publishXml(`<publish_id>1</publish_id><publish_status>4</publish_status>${failIdx}`),
		);
		expect(item.fail_idx).toStrictEqual(expected);
	});

	it('makes article_detail.item an array for one and for several articles', () => {
		const articles = [1, 2, 3]
			.map((i) => `<item><idx>${i}</idx><article_url><![CDATA[https://mp.weixin.qq.com/s/${i}?a=1&b=2]]></article_url></item>`)
			.join('');
		const several = publishItem(
			publishXml(`<publish_id>1</publish_id><publish_status>0</publish_status><article_detail><count>3</count>${articles}</article_detail>`),
		);
		expect(several.article_detail).toStrictEqual({
			count: 3,
			item: [1, 2, 3].map((i) => ({ idx: i, article_url: `https://mp.weixin.qq.com/s/${i}?a=1&b=2` })),
		});
		const one = publishItem(
			publishXml('<publish_id>1</publish_id><publish_status>0</publish_status><article_detail><item><idx>1</idx><article_url>u</article_url></item></article_detail>'),
		);
		expect(one.article_detail).toStrictEqual({ count: 1, item: [{ idx: 1, article_url: 'u' }] });
	});

	it.each([
		['absent', ''],
		['empty', '<article_detail></article_detail>'],
		['self-closed', '<article_detail/>'],
		['count 0 without items', '<article_detail><count>0</count></article_detail>'],
	])('gives an empty article_detail when it is %s', (_case, detail) => {
		const item = publishItem(
			publishXml(`<publish_id>1</publish_id><publish_status>3</publish_status>${detail}`),
		);
		expect(item.article_detail).toStrictEqual({ count: 0, item: [] });
	});

	it('keeps IDs beyond 2^53 exact, as strings', () => {
		const publishId = '9007199254740993';
		const huge = '123456789012345678901234567890';
		const item = publishItem(
			publishXml(`<publish_id>${publishId}</publish_id><publish_status>0</publish_status><article_id>${huge}</article_id>`),
		);
		expect(item.publish_id).toBe(publishId);
		expect(item.article_id).toBe(huge);
		expect(Number(publishId)).not.toBe(9007199254740993n.toString());
	});

	it('keeps fields it does not know, beside the contract ones', () => {
		const item = publishItem(
			publishXml('<publish_id>1</publish_id><publish_status>0</publish_status><new_field><![CDATA[x]]></new_field>'),
		);
		expect(item.new_field).toBe('x');
	});

	it.each([
		['publish_id is missing', '<publish_status>0</publish_status>'],
		['publish_id is empty', '<publish_id></publish_id><publish_status>0</publish_status>'],
		['publish_id repeats', '<publish_id>1</publish_id><publish_id>2</publish_id><publish_status>0</publish_status>'],
		['publish_status is missing', '<publish_id>1</publish_id>'],
		['publish_status is empty', '<publish_id>1</publish_id><publish_status></publish_status>'],
		['publish_status is not a number', '<publish_id>1</publish_id><publish_status>ok</publish_status>'],
		['publish_status is negative', '<publish_id>1</publish_id><publish_status>-1</publish_status>'],
		['publish_status is fractional', '<publish_id>1</publish_id><publish_status>0.5</publish_status>'],
		['publish_status repeats', '<publish_id>1</publish_id><publish_status>0</publish_status><publish_status>2</publish_status>'],
		['a fail_idx is not a number', '<publish_id>1</publish_id><publish_status>2</publish_status><fail_idx>x</fail_idx>'],
		['an article has no idx', '<publish_id>1</publish_id><publish_status>0</publish_status><article_detail><item><article_url>u</article_url></item></article_detail>'],
	])('refuses a push whose %s', (_case, info) => {
		expect(xmlErrorCode(() => publishItem(publishXml(info)))).toBe('MISSING_FIELD');
	});

	it('refuses a PUBLISHJOBFINISH without PublishEventInfo, or with a CreateTime not a number', () => {
		const bare =
			'<xml><ToUserName>gh</ToUserName><FromUserName>o</FromUserName><CreateTime>1</CreateTime><MsgType>event</MsgType><Event>PUBLISHJOBFINISH</Event></xml>';
		expect(xmlErrorCode(() => publishItem(bare))).toBe('MISSING_FIELD');
		const textInfo = bare.replace('</xml>', '<PublishEventInfo>text</PublishEventInfo></xml>');
		expect(xmlErrorCode(() => publishItem(textInfo))).toBe('MISSING_FIELD');
		const twoInfos = bare.replace(
			'</xml>',
			'<PublishEventInfo><publish_id>1</publish_id><publish_status>0</publish_status></PublishEventInfo>'.repeat(2) + '</xml>',
		);
		expect(xmlErrorCode(() => publishItem(twoInfos))).toBe('MISSING_FIELD');
		const badTime = PUBLISHED_XML.replace('<CreateTime>1481013459', '<CreateTime>soon');
		expect(xmlErrorCode(() => publishItem(badTime))).toBe('MISSING_FIELD');
	});

	it('recognises publish events by MsgType and Event', () => {
		expect(isPublishEvent(parseXmlMessage(PUBLISHED_XML))).toBe(true);
		expect(isPublishEvent({ MsgType: 'event', Event: 'MASSSENDJOBFINISH' })).toBe(false);
		expect(isPublishEvent({ MsgType: 'text', Event: 'PUBLISHJOBFINISH' })).toBe(false);
	});
});

describe('toPublishResult from freepublish/get JSON', () => {
	it('normalises numbers to strings for IDs and strings to numbers for counts', () => {
		expect(
			toPublishResult({
				publish_id: 2247503051,
				publish_status: 0,
				article_id: 'AID',
				article_detail: { count: 2, item: [{ idx: 1, article_url: 'u1' }, { idx: 2, article_url: 'u2' }] },
				fail_idx: [],
				errcode: 0,
			}),
		).toStrictEqual({
			publish_id: '2247503051',
			publish_status: 0,
			status: 'published',
			article_id: 'AID',
			article_detail: { count: 2, item: [{ idx: 1, article_url: 'u1' }, { idx: 2, article_url: 'u2' }] },
			fail_idx: [],
			errcode: 0,
		});
	});

	it('fills in what a failed job leaves out', () => {
		expect(toPublishResult({ publish_id: '7', publish_status: 4, fail_idx: [2, 3] })).toMatchObject({
			status: 'audit_rejected',
			article_id: '',
			article_detail: { count: 0, item: [] },
			fail_idx: [2, 3],
		});
	});
});

describe('other messages', () => {
	it('keep WeChat field names, with CreateTime a number and MsgId an exact string', () => {
		const message = parseXmlMessage(
			'<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[oUser]]></FromUserName>' +
				'<CreateTime>1348831860</CreateTime><MsgType><![CDATA[text]]></MsgType>' +
				'<Content><![CDATA[你好 <b>&</b> ]]]]></Content><MsgId>12345678901234567890</MsgId></xml>',
		);
		expect(isPublishEvent(message)).toBe(false);
		expect(toMessageItem(message)).toStrictEqual({
			ToUserName: 'gh_1',
			FromUserName: 'oUser',
			CreateTime: 1348831860,
			MsgType: 'text',
			Content: '你好 <b>&</b> ]]',
			MsgId: '12345678901234567890',
		});
	});

	it('keep a subscribe event as it is', () => {
		const message = parseXmlMessage(
			'<xml><ToUserName>gh_1</ToUserName><FromUserName>oUser</FromUserName><CreateTime>123</CreateTime>' +
				'<MsgType>event</MsgType><Event>subscribe</Event><EventKey></EventKey></xml>',
		);
		expect(toMessageItem(message)).toStrictEqual({
			ToUserName: 'gh_1',
			FromUserName: 'oUser',
			CreateTime: 123,
			MsgType: 'event',
			Event: 'subscribe',
			EventKey: '',
		});
	});
});

describe('parseXmlMessage', () => {
	it('reads CDATA, the XML declaration, comments and XML escapes', () => {
		expect(
			parseXmlMessage(
				'<?xml version="1.0" encoding="UTF-8"?>\n<!-- a push --><xml><A><![CDATA[a<b>&amp;]]></A><B>x &lt; y &amp; z &#60; &#x41;</B></xml>',
			),
		).toStrictEqual({ A: 'a<b>&amp;', B: 'x < y & z < A' });
	});

	it.each([
		['<!DOCTYPE', '<xml><A><![CDATA[<!DOCTYPE x [<!ENTITY a "b">]>]]></A></xml>', '<!DOCTYPE x [<!ENTITY a "b">]>'],
		['<!ENTITY', '<xml><A><![CDATA[<!ENTITY e SYSTEM "file:///etc/passwd">]]></A></xml>', '<!ENTITY e SYSTEM "file:///etc/passwd">'],
		['<xml> and ]]', '<xml><A><![CDATA[<xml>]]]]></A></xml>', '<xml>]]'],
	])('accepts CDATA holding %s as text', (_case, xml, text) => {
		expect(parseXmlMessage(xml)).toStrictEqual({ A: text });
	});

	it('reads multibyte text and a body of just under the size limit', () => {
		const filler = '中'.repeat(Math.floor((MAX_XML_BYTES - 100) / 3));
		const xml = `<xml><A>${filler}</A></xml>`;
		expect(Buffer.byteLength(xml)).toBeLessThanOrEqual(MAX_XML_BYTES);
		expect(parseXmlMessage(xml).A).toBe(filler);
	});

	it.each<[string, string, WeChatXmlErrorCode]>([
		['empty', '', 'EMPTY'],
		['only whitespace', ' \r\n\t ', 'EMPTY'],
		['over 1 MiB', `<xml><A>${'x'.repeat(MAX_XML_BYTES)}</A></xml>`, 'TOO_LARGE'],
		['over 1 MiB in bytes, under it in characters', `<xml><A>${'中'.repeat(MAX_XML_BYTES / 2)}</A></xml>`, 'TOO_LARGE'],
		['a DOCTYPE', '<!DOCTYPE xml><xml><A>1</A></xml>', 'DOCTYPE'],
		['a lower-case doctype', '<!doctype xml><xml><A>1</A></xml>', 'DOCTYPE'],
		[
			'a billion laughs',
			'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><xml><A>&lol3;</A></xml>',
			'DOCTYPE',
		],
		['an external entity', '<!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><A>&xxe;</A></xml>', 'DOCTYPE'],
		['a parameter entity', '<!DOCTYPE xml [<!ENTITY % p SYSTEM "http://127.0.0.1/x.dtd"> %p;]><xml/>', 'DOCTYPE'],
		['an ENTITY without DOCTYPE', '<xml><!ENTITY a "b"><A>&a;</A></xml>', 'DOCTYPE'],
		['an ELEMENT declaration', '<xml><!ELEMENT xml ANY><A>1</A></xml>', 'DOCTYPE'],
		['a DOCTYPE after the root', '<xml><A>1</A></xml><!DOCTYPE xml>', 'DOCTYPE'],
		['an unterminated CDATA', '<xml><A><![CDATA[abc</A></xml>', 'MALFORMED'],
		['an unterminated comment', '<xml><!-- <A>1</A></xml>', 'MALFORMED'],
		['an unclosed root', '<xml><A>1</A>', 'MALFORMED'],
		['mismatched tags', '<xml><A>1</B></xml>', 'MALFORMED'],
		['two roots', '<xml><A>1</A></xml><xml><A>2</A></xml>', 'MALFORMED'],
		['text after the root', '<xml><A>1</A></xml>tail', 'MALFORMED'],
		['plain text', 'success', 'MALFORMED'],
		['JSON', '{"ToUserName":"gh"}', 'MALFORMED'],
		['an unescaped ampersand', '<xml><A>a & b</A></xml>', 'MALFORMED'],
		['a tag named __proto__', '<xml><__proto__><polluted>1</polluted></__proto__></xml>', 'MALFORMED'],
		['a tag named constructor', '<xml><constructor>1</constructor></xml>', 'MALFORMED'],
		['a root other than <xml>', '<root><A>1</A></root>', 'BAD_ROOT'],
		['an upper-case root', '<XML><A>1</A></XML>', 'BAD_ROOT'],
		['an empty <xml>', '<xml></xml>', 'BAD_ROOT'],
		['a self-closed <xml/>', '<xml/>', 'BAD_ROOT'],
		['a text-only <xml>', '<xml>text</xml>', 'BAD_ROOT'],
	])('refuses a body that is %s', (_case, xml, code) => {
		expect(xmlErrorCode(() => parseXmlMessage(xml))).toBe(code);
	});

	it('never leaks a prototype key onto plain objects', () => {
		xmlErrorCode(() => parseXmlMessage('<xml><__proto__><polluted>1</polluted></__proto__></xml>'));
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});

	it('refuses a DOCTYPE in linear time, however many CDATA sections precede it', () => {
		const xml = '<xml>' + '<A><![CDATA[<!x>]]></A>'.repeat(20000) + '<!DOCTYPE x></xml>';
		expect(xmlErrorCode(() => parseXmlMessage(xml))).toBe('DOCTYPE');
	});
});

describe('parseXmlMessage of authenticated (decrypted) text', () => {
	it('still refuses DOCTYPE and entity declarations', () => {
		const xml = '<!DOCTYPE x [<!ENTITY a "b">]><xml><A>&a;</A></xml>';
		expect(xmlErrorCode(() => parseXmlMessage(xml, { authenticated: true }))).toBe('DOCTYPE');
	});

	it.each([
		'<xml><A>1</B></xml>',
		'<xml><A>1</A>',
		'<xml><A><![CDATA[x</A></xml>',
		'hello',
		'<root/>',
		'<xml><__proto__>1</__proto__></xml>',
	])('answers malformed text %j with a result or a typed error, never a crash', (xml) => {
		expect(xmlErrorCode(() => parseXmlMessage(xml, { authenticated: true }))).not.toBe('untyped error');
	});
});

describe('readEnvelopeEncrypt', () => {
	const encrypted = 'jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==';

	it.each([
		['WeChat\'s envelope', `<xml>\n<ToUserName><![CDATA[gh_1]]></ToUserName>\n<Encrypt><![CDATA[${encrypted}]]></Encrypt>\n</xml>`],
		['Encrypt without CDATA', `<xml><Encrypt>${encrypted}</Encrypt></xml>`],
		['a declaration and other fields', `<?xml version="1.0"?><xml><AppId>wx1</AppId><Encrypt>${encrypted}</Encrypt><X><Y>1</Y></X></xml>`],
	])('returns the Encrypt text of %s', (_case, xml) => {
		expect(readEnvelopeEncrypt(xml)).toBe(encrypted);
	});

	it.each<[string, string, WeChatXmlErrorCode]>([
		['no Encrypt', '<xml><ToUserName><![CDATA[gh_1]]></ToUserName></xml>', 'MISSING_FIELD'],
		['an empty Encrypt', '<xml><Encrypt><![CDATA[]]></Encrypt></xml>', 'MISSING_FIELD'],
		['two Encrypt', '<xml><Encrypt><![CDATA[a]]></Encrypt><Encrypt><![CDATA[b]]></Encrypt></xml>', 'MISSING_FIELD'],
		['a DOCTYPE', `<!DOCTYPE xml><xml><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`, 'DOCTYPE'],
		['an unclosed root', `<xml><Encrypt><![CDATA[${encrypted}]]></Encrypt>`, 'MALFORMED'],
		['another root', `<root><Encrypt><![CDATA[${encrypted}]]></Encrypt></root>`, 'BAD_ROOT'],
		['over 1 MiB', `<xml><Encrypt><![CDATA[${'A'.repeat(MAX_XML_BYTES)}]]></Encrypt></xml>`, 'TOO_LARGE'],
		['over 1 MiB in bytes only', `<xml><Encrypt><![CDATA[A]]></Encrypt><X><![CDATA[${'中'.repeat(MAX_XML_BYTES / 2)}]]></X></xml>`, 'TOO_LARGE'],
		['empty', '', 'EMPTY'],
	])('refuses an envelope with %s', (_case, xml, code) => {
		expect(xmlErrorCode(() => readEnvelopeEncrypt(xml))).toBe(code);
	});
});
