import { randomBytes, randomInt } from 'node:crypto';
import {
	deriveAesKey,
	MessageCrypto,
	WeChatCryptoError,
	type WeChatCryptoErrorCode,
} from '../../nodes/wechat/crypto';
import { aesDecryptRaw, aesEncryptRaw, pkcs7Pad, plaintextLayout } from '../helpers/rawAes';
import { thrownCode } from '../helpers/thrownCode';

// Known answer from public WeChat SDK test suites; the scheme:
// https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Message_encryption_and_decryption_instructions.html
const ENCODING_AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const APP_ID = 'wxb11529c136998cb6';
const KNOWN_RANDOM = Buffer.from('aaaabbbbccccdddd');
const KNOWN_MESSAGE = '我是中文abcd123';
const KNOWN_CIPHERTEXT =
	'jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==';

const messageCrypto = new MessageCrypto(ENCODING_AES_KEY, APP_ID);
const key = Buffer.from(ENCODING_AES_KEY + '=', 'base64');

const encryptRaw = (plain: Buffer) => aesEncryptRaw(ENCODING_AES_KEY, plain);
const decryptRaw = (encrypted: string) => aesDecryptRaw(ENCODING_AES_KEY, encrypted);
const layout = (message: Buffer, appId = APP_ID, declaredLength = message.length) =>
	plaintextLayout(message, appId, declaredLength);
const pkcs7 = pkcs7Pad;

function cryptoErrorCode(run: () => unknown): WeChatCryptoErrorCode | 'no error' | 'untyped error' {
	return thrownCode(WeChatCryptoError, run);
}

/** A string of exactly `bytes` UTF-8 bytes mixing 1-, 2-, 3- and 4-byte characters. */
function randomUtf8(bytes: number): string {
	const pieces = ['a', 'Z', '0', '<', '&', ']]>', 'é', 'ß', '中', '文', '😀', '𝄞', '\n', '\0'];
	let text = '';
	let size = 0;
	for (;;) {
		const piece = pieces[randomInt(pieces.length)];
		const pieceSize = Buffer.byteLength(piece);
		if (size + pieceSize > bytes) break;
		text += piece;
		size += pieceSize;
	}
	return text + 'x'.repeat(bytes - size);
}

describe('deriveAesKey', () => {
	it('decodes the 43 characters plus "=" into 32 bytes', () => {
		expect(deriveAesKey(ENCODING_AES_KEY)).toEqual(key);
		expect(key).toHaveLength(32);
	});

	it.each([
		['empty', ''],
		['42 characters', ENCODING_AES_KEY.slice(0, 42)],
		['44 characters', ENCODING_AES_KEY + 'H'],
		['43 characters and the "=" WeChat leaves out', ENCODING_AES_KEY + '='],
		['a base64 key of 32 bytes (44 characters)', key.toString('base64')],
		['not a string', undefined],
	])('refuses a key that is %s with BAD_KEY_LENGTH', (_case, encodingAesKey) => {
		expect(cryptoErrorCode(() => new MessageCrypto(encodingAesKey as string, APP_ID))).toBe(
			'BAD_KEY_LENGTH',
		);
	});

	it.each([
		['base64url "-"', '-' + ENCODING_AES_KEY.slice(1)],
		['base64url "_"', ENCODING_AES_KEY.slice(0, 20) + '_' + ENCODING_AES_KEY.slice(21)],
		['a space', ' ' + ENCODING_AES_KEY.slice(1)],
		['a trailing "="', ENCODING_AES_KEY.slice(0, 42) + '='],
		['an "=" inside', ENCODING_AES_KEY.slice(0, 10) + '=' + ENCODING_AES_KEY.slice(11)],
		['a non-ASCII letter', 'é' + ENCODING_AES_KEY.slice(1)],
	])('refuses a 43-character key with %s with BAD_KEY_BASE64', (_case, encodingAesKey) => {
		expect(encodingAesKey).toHaveLength(43);
		expect(cryptoErrorCode(() => new MessageCrypto(encodingAesKey, APP_ID))).toBe('BAD_KEY_BASE64');
	});

	it('its error names exactly the characters it accepts: letters, digits, + and /', () => {
		const withPlusAndSlash = '+/' + ENCODING_AES_KEY.slice(2);
		expect(() => new MessageCrypto(withPlusAndSlash, APP_ID)).not.toThrow();
		expect(() => new MessageCrypto('-' + ENCODING_AES_KEY.slice(1), APP_ID)).toThrow(
			'EncodingAESKey may hold only letters, digits, + and / (no = padding): copy it again from WeChat Developer Platform → My Services → the account → Basic Info → Domain and Message Push (微信开发者平台 → 我的业务 → 公众号/服务号 → 基础信息 → 域名与消息推送配置)',
		);
	});

	it('never puts the key into its error message', () => {
		const badKey = ENCODING_AES_KEY.slice(0, 42) + '!';
		try {
			deriveAesKey(badKey);
			throw new Error('expected a WeChatCryptoError');
		} catch (error) {
			expect(error).toBeInstanceOf(WeChatCryptoError);
			expect((error as Error).message).not.toContain(badKey.slice(0, 20));
		}
	});
});

describe('MessageCrypto known answer', () => {
	it('encrypts the known message with the fixed random bytes to the known ciphertext', () => {
		expect(messageCrypto.encrypt(KNOWN_MESSAGE, KNOWN_RANDOM)).toBe(KNOWN_CIPHERTEXT);
	});

	it('decrypts the known ciphertext', () => {
		expect(messageCrypto.decrypt(KNOWN_CIPHERTEXT)).toBe(KNOWN_MESSAGE);
	});

	it('uses fresh random bytes when none are given', () => {
		const first = messageCrypto.encrypt(KNOWN_MESSAGE);
		const second = messageCrypto.encrypt(KNOWN_MESSAGE);
		expect(first).not.toBe(second);
		expect(messageCrypto.decrypt(first)).toBe(KNOWN_MESSAGE);
		expect(messageCrypto.decrypt(second)).toBe(KNOWN_MESSAGE);
	});
});

describe('MessageCrypto round trips', () => {
	// random(16) + length(4) + appid(18) = 38 bytes around the message; 32-byte blocks.
	const overhead = 16 + 4 + Buffer.byteLength(APP_ID);
	const boundarySizes: number[] = [];
	for (let blocks = 2; blocks <= 5; blocks++) {
		for (const delta of [-1, 0, 1]) boundarySizes.push(blocks * 32 - overhead + delta);
	}

	it.each(boundarySizes)(
		'pads a message of %i bytes to 32-byte blocks with 1..32 pad bytes',
		(size) => {
			const message = 'm'.repeat(size);
			const encrypted = messageCrypto.encrypt(message);
			const padded = decryptRaw(encrypted);
			expect(padded.length % 32).toBe(0);
			const padLength = padded[padded.length - 1];
			const expectedPad = 32 - ((overhead + size) % 32);
			expect(padLength).toBe(expectedPad);
			expect(padded.subarray(padded.length - padLength).every((byte) => byte === padLength)).toBe(
				true,
			);
			expect(messageCrypto.decrypt(encrypted)).toBe(message);
		},
	);

	it('round-trips every message size from 0 to 200 bytes', () => {
		for (let size = 0; size <= 200; size++) {
			const message = randomUtf8(size);
			expect(Buffer.byteLength(message)).toBe(size);
			expect(messageCrypto.decrypt(messageCrypto.encrypt(message))).toBe(message);
		}
	});

	it('round-trips random multibyte messages up to 64 KiB', () => {
		const sizes = [1023, 1024, 4096, 32768, 65535, 65536];
		for (let i = 0; i < 40; i++) sizes.push(randomInt(65537));
		for (const size of sizes) {
			const message = randomUtf8(size);
			expect(messageCrypto.decrypt(messageCrypto.encrypt(message))).toBe(message);
		}
	});

	it('round-trips XML with CDATA, as the trigger receives it', () => {
		const xml =
			'<xml><ToUserName><![CDATA[gh_4d00ed8d6399]]></ToUserName><Content><![CDATA[你好 <b>&amp;</b>]]></Content></xml>';
		expect(messageCrypto.decrypt(messageCrypto.encrypt(xml))).toBe(xml);
	});

	it('round-trips with a non-ASCII AppID of another length', () => {
		const other = new MessageCrypto(ENCODING_AES_KEY, 'wx应用');
		expect(other.decrypt(other.encrypt(KNOWN_MESSAGE))).toBe(KNOWN_MESSAGE);
	});
});

describe('MessageCrypto decrypt errors', () => {
	it.each([
		['a character outside base64', KNOWN_CIPHERTEXT.slice(0, 10) + '*' + KNOWN_CIPHERTEXT.slice(11)],
		['base64url characters', KNOWN_CIPHERTEXT.replace(/\+/g, '-')],
		['a length not a multiple of 4', KNOWN_CIPHERTEXT.slice(0, -3)],
		['an "=" in the middle', 'AAAA=AAA' + KNOWN_CIPHERTEXT.slice(8)],
		['three "="', KNOWN_CIPHERTEXT.slice(0, -3) + '==='],
		['whitespace', KNOWN_CIPHERTEXT.slice(0, 20) + ' ' + KNOWN_CIPHERTEXT.slice(21)],
		['a line break', KNOWN_CIPHERTEXT.slice(0, 44) + '\n' + KNOWN_CIPHERTEXT.slice(44)],
	])('refuses text with %s with BAD_BASE64', (_case, encrypted) => {
		expect(cryptoErrorCode(() => messageCrypto.decrypt(encrypted))).toBe('BAD_BASE64');
	});

	it.each([
		['empty', ''],
		['3 bytes', 'AAAA'],
		['15 bytes', randomBytes(15).toString('base64')],
		['17 bytes', randomBytes(17).toString('base64')],
		['the known ciphertext truncated by one block', Buffer.from(KNOWN_CIPHERTEXT, 'base64').subarray(1).toString('base64')],
		['the known ciphertext with 4 more bytes', Buffer.concat([Buffer.from(KNOWN_CIPHERTEXT, 'base64'), randomBytes(4)]).toString('base64')],
	])('refuses a ciphertext of %s with BAD_CIPHERTEXT_LENGTH', (_case, encrypted) => {
		expect(cryptoErrorCode(() => messageCrypto.decrypt(encrypted))).toBe('BAD_CIPHERTEXT_LENGTH');
	});

	it.each([
		['a last byte of 0', () => Buffer.concat([layout(Buffer.from('hi')), Buffer.alloc(32 - ((38 + 2) % 32), 0)])],
		['a last byte of 33', () => {
			const plain = layout(Buffer.alloc(26, 'x'));
			return Buffer.concat([plain, Buffer.alloc(32, 33)]);
		}],
		['a last byte of 255', () => Buffer.concat([layout(Buffer.alloc(26, 'x')), Buffer.alloc(32, 255)])],
		['pad bytes that disagree', () => {
			const padded = pkcs7(layout(Buffer.from('hello')));
			padded[padded.length - 2] ^= 1;
			return padded;
		}],
		['a pad longer than one 16-byte ciphertext', () => Buffer.alloc(16, 20)],
		['the first pad byte wrong in a full 32-byte pad', () => {
			const plain = layout(Buffer.alloc(26, 'x'));
			expect(plain.length % 32).toBe(0);
			const padded = pkcs7(plain);
			padded[padded.length - 32] = 31;
			return padded;
		}],
	])('refuses a plaintext with %s with BAD_PADDING', (_case, craft) => {
		const padded = craft();
		expect(padded.length % 16).toBe(0);
		expect(cryptoErrorCode(() => messageCrypto.decrypt(encryptRaw(padded)))).toBe('BAD_PADDING');
	});

	it('accepts 16-byte (not only 32-byte) PKCS#7 padding, as AES itself pads', () => {
		const plain = layout(Buffer.from('sixteen'));
		const padded = pkcs7(plain, 16);
		expect(messageCrypto.decrypt(encryptRaw(padded))).toBe('sixteen');
	});

	it.each([
		['nothing but padding', () => Buffer.alloc(32, 32)],
		['fewer than 20 bytes before the padding', () => pkcs7(randomBytes(19))],
		['a declared length one beyond its end', () => pkcs7(layout(Buffer.from('abc'), '', 4))],
		['a declared length far beyond its end', () => pkcs7(layout(Buffer.from('abc'), APP_ID, 0xffffffff))],
		['a declared length covering the AppID and one more byte', () =>
			pkcs7(layout(Buffer.from('abc'), APP_ID, 3 + Buffer.byteLength(APP_ID) + 1))],
	])('refuses a plaintext with %s with LENGTH_OVERFLOW', (_case, craft) => {
		expect(cryptoErrorCode(() => messageCrypto.decrypt(encryptRaw(craft())))).toBe(
			'LENGTH_OVERFLOW',
		);
	});

	it.each([
		['another AppID', () => new MessageCrypto(ENCODING_AES_KEY, 'wx0000000000000000').encrypt('hi')],
		['no AppID at all', () => encryptRaw(pkcs7(layout(Buffer.from('hi'), '')))],
		['an AppID with one byte more', () => encryptRaw(pkcs7(layout(Buffer.from('hi'), APP_ID + 'x')))],
		['an AppID with one byte less', () => encryptRaw(pkcs7(layout(Buffer.from('hi'), APP_ID.slice(0, -1))))],
		['an AppID of other case', () => encryptRaw(pkcs7(layout(Buffer.from('hi'), APP_ID.toUpperCase())))],
		['a declared length that leaves part of the message before the AppID', () =>
			encryptRaw(pkcs7(layout(Buffer.from('hello'), APP_ID, 4)))],
	])('refuses a message encrypted for %s with APPID_MISMATCH', (_case, craft) => {
		expect(cryptoErrorCode(() => messageCrypto.decrypt(craft()))).toBe('APPID_MISMATCH');
	});

	it('answers a ciphertext under another key with a typed error, never garbage', () => {
		const stranger = new MessageCrypto('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopq', APP_ID);
		for (let i = 0; i < 200; i++) {
			const code = cryptoErrorCode(() => messageCrypto.decrypt(stranger.encrypt(randomUtf8(i))));
			expect(['BAD_PADDING', 'LENGTH_OVERFLOW', 'APPID_MISMATCH']).toContain(code);
		}
	});

	it('answers random ciphertexts with a typed error', () => {
		for (let i = 1; i <= 200; i++) {
			const code = cryptoErrorCode(() => messageCrypto.decrypt(randomBytes(16 * ((i % 8) + 1)).toString('base64')));
			expect(['BAD_PADDING', 'LENGTH_OVERFLOW', 'APPID_MISMATCH']).toContain(code);
		}
	});

	it('answers any flipped bit with a typed error or a string, never a crash', () => {
		// CBC has no MAC, so some flips decrypt to a garbled message: the msg_signature over the
		// whole Encrypt text is what authenticates a push (see the trigger tests).
		const data = Buffer.from(messageCrypto.encrypt('several blocks of message '.repeat(4)), 'base64');
		for (let bit = 0; bit < data.length * 8; bit += 7) {
			const flipped = Buffer.from(data);
			flipped[bit >> 3] ^= 1 << (bit & 7);
			const code = cryptoErrorCode(() => messageCrypto.decrypt(flipped.toString('base64')));
			expect(code).not.toBe('untyped error');
		}
	});
});
