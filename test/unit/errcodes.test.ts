import { describeErrcode, formatErrcode, TOKEN_ERRCODES } from '../../nodes/wechat/errcodes';

// Every errcode that needs a human explanation (WeChat's global return codes and the error tables
// of the draft, publish and material API pages).
const DOCUMENTED = [
	-1, 40001, 40013, 40014, 40125, 40164, 42001, 42007, 45009, 45011, 48001, 50001, 50002, 53500,
	53501, 53502, 53503, 53504, 53505, 53600,
];

describe('describeErrcode', () => {
	it.each(DOCUMENTED)('explains errcode %i with a meaning and an action', (errcode) => {
		const info = describeErrcode(errcode);
		expect(info).toBeDefined();
		expect(info?.meaning.length).toBeGreaterThan(5);
		expect(info?.action.length).toBeGreaterThan(5);
	});

	it('knows nothing of codes it was not told', () => {
		expect(describeErrcode(0)).toBeUndefined();
		expect(describeErrcode(12345)).toBeUndefined();
	});

	it('names the IP allow-list for 40164 and the missing permission for 48001', () => {
		expect(describeErrcode(40164)?.action).toMatch(/IP/);
		expect(describeErrcode(48001)?.action).toMatch(/unverified|verif/i);
	});
});

describe('TOKEN_ERRCODES', () => {
	it('holds exactly the token errors after which a fresh token may help', () => {
		expect([...TOKEN_ERRCODES].sort()).toEqual([40001, 40014, 42001, 42007]);
	});
});

describe('formatErrcode', () => {
	it('names the errcode, its meaning, the errmsg and the action in one line', () => {
		const text = formatErrcode(53503, 'draft check failed rid: 1');
		expect(text).toBe(
			`WeChat error 53503: ${describeErrcode(53503)?.meaning} (draft check failed rid: 1). ${describeErrcode(53503)?.action}.`,
		);
		expect(text).not.toContain('\n');
	});

	it('leaves out an empty errmsg', () => {
		expect(formatErrcode(45011)).toBe(
			`WeChat error 45011: ${describeErrcode(45011)?.meaning}. ${describeErrcode(45011)?.action}.`,
		);
		expect(formatErrcode(45011, '')).toBe(formatErrcode(45011));
	});

	it('still names an unknown errcode and its errmsg', () => {
		expect(formatErrcode(99999, 'strange')).toBe('WeChat error 99999 (strange)');
		expect(formatErrcode(99999)).toBe('WeChat error 99999');
	});
});
