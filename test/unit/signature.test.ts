import { createHash } from 'node:crypto';
import { computeSignature, signaturesMatch } from '../../nodes/wechat/signature';

// Known answers from public WeChat SDK test suites; the scheme:
// https://developers.weixin.qq.com/doc/offiaccount/Basic_Information/Access_Overview.html
const TOKEN = 'pamtest';
const TIMESTAMP = '1409304348';
const NONCE = 'xxxxxx';
const ENCRYPTED =
	'jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==';

describe('computeSignature', () => {
	it('gives the known plain signature', () => {
		expect(computeSignature(TOKEN, TIMESTAMP, NONCE)).toBe(
			'76480565cbe296026c53aaacd1ad523a1ddba24f',
		);
	});

	it('gives the known msg_signature over the Encrypt text', () => {
		expect(computeSignature(TOKEN, TIMESTAMP, NONCE, ENCRYPTED)).toBe(
			'82c962d39941aa48552f90ef55aa323dc620cc10',
		);
	});

	it('does not depend on the order of its parts', () => {
		const expected = computeSignature(TOKEN, TIMESTAMP, NONCE, ENCRYPTED);
		expect(computeSignature(ENCRYPTED, NONCE, TOKEN, TIMESTAMP)).toBe(expected);
		expect(computeSignature(NONCE, ENCRYPTED, TIMESTAMP, TOKEN)).toBe(expected);
	});

	it('is sha1 of the lexicographically sorted, joined parts', () => {
		const joined = [TIMESTAMP, NONCE, TOKEN].sort().join('');
		expect(joined).toBe('1409304348pamtestxxxxxx');
		expect(computeSignature(TOKEN, TIMESTAMP, NONCE)).toBe(
			createHash('sha1').update(joined).digest('hex'),
		);
	});

	it('changes when any part changes', () => {
		const base = computeSignature(TOKEN, TIMESTAMP, NONCE);
		expect(computeSignature('pamtesT', TIMESTAMP, NONCE)).not.toBe(base);
		expect(computeSignature(TOKEN, '1409304349', NONCE)).not.toBe(base);
		expect(computeSignature(TOKEN, TIMESTAMP, 'xxxxxy')).not.toBe(base);
	});
});

describe('signaturesMatch', () => {
	const expected = '76480565cbe296026c53aaacd1ad523a1ddba24f';

	it('accepts the same signature', () => {
		expect(signaturesMatch(expected, '76480565cbe296026c53aaacd1ad523a1ddba24f')).toBe(true);
	});

	it.each([
		['missing', undefined],
		['empty', ''],
		['one character short', expected.slice(0, -1)],
		['one character longer', expected + '0'],
		['last character changed', expected.slice(0, -1) + '0'],
		['first character changed', '8' + expected.slice(1)],
		['upper case', expected.toUpperCase()],
		['same length, non-latin1 characters', '中'.repeat(40)],
		['same length, padded with spaces', ' '.repeat(40)],
	])('refuses a signature that is %s', (_case, given) => {
		expect(signaturesMatch(expected, given)).toBe(false);
	});

	it('refuses values that are not strings', () => {
		expect(signaturesMatch(expected, [expected] as unknown as string)).toBe(false);
		expect(signaturesMatch(expected, 42 as unknown as string)).toBe(false);
	});
});
