import { commentIndex, numericId } from '../../nodes/wechat/comments';
import { beijingToday, isNotified, splitMsgid, splitRange, toDateString } from '../../nodes/wechat/statistics';

// 2026-03-10 17:00 UTC is 2026-03-11 01:00 in Beijing: "today" for WeChat is the 11th.
const NOW = Date.parse('2026-03-10T17:00:00Z');

describe('statistics core', () => {
	it('counts days in Beijing time', () => {
		expect(beijingToday(NOW)).toBe('2026-03-11');
		expect(beijingToday(Date.parse('2026-03-10T15:59:59Z'))).toBe('2026-03-10');
	});

	it('splits a range into windows, in order, the last one short', () => {
		expect(splitRange('2026-03-01', '2026-03-10', 1, NOW)).toHaveLength(10);
		expect(splitRange('2026-02-25', '2026-03-03', 3, NOW)).toEqual([
			{ begin_date: '2026-02-25', end_date: '2026-02-27' },
			{ begin_date: '2026-02-28', end_date: '2026-03-02' },
			{ begin_date: '2026-03-03', end_date: '2026-03-03' },
		]);
	});

	it.each([
		['2026-03-01', '2026-03-11', /up to yesterday \(2026-03-10, Beijing time\)/],
		['2026-03-05', '2026-03-01', /after End Date/],
		['2025-10-01', '2025-11-05', /before 2025-11-01/],
		['2026-02-30', '2026-03-01', /must be dates/],
	])('refuses %s to %s', (start, end, message) => {
		expect(() => splitRange(start, end, 1, NOW)).toThrow(message);
	});

	it('refuses a range longer than a year', () => {
		expect(() => splitRange('2025-11-01', '2026-11-30', 1, Date.parse('2027-01-01T00:00:00Z'))).toThrow(/longer than 366 days/);
	});

	it('reads the date of a date-time and refuses what is no calendar date', () => {
		expect(toDateString('2026-03-01T00:00:00.000+08:00')).toBe('2026-03-01');
		expect(toDateString('2026-02-30')).toBeUndefined();
		expect(toDateString('')).toBeUndefined();
	});

	it('splits msgid as text: every digit kept, the article number from 1', () => {
		expect(splitMsgid('12345678901234567891_3')).toEqual({ msg_data_id: '12345678901234567891', articleNumber: 3 });
		expect(splitMsgid('2247490098')).toEqual({ msg_data_id: '2247490098', articleNumber: null });
	});

	it('tells notified (publish_type 0, mass send) from not notified (1, publish)', () => {
		expect([isNotified(0), isNotified(1), isNotified(2)]).toEqual([true, false, null]);
	});
});

describe('comments core', () => {
	it('converts the 1-based article number to the 0-based index, refusing 0 and fractions', () => {
		expect(commentIndex(1)).toBe(0);
		expect(commentIndex(8)).toBe(7);
		expect(() => commentIndex(0)).toThrow(/from 1/);
		expect(() => commentIndex(1.5)).toThrow(/from 1/);
	});

	it('takes numeric IDs only when every digit survives as a number', () => {
		expect(numericId(' 2247490098 ', 'Msg Data ID', '')).toBe(2247490098);
		expect(() => numericId('12345678901234567891', 'Msg Data ID', '')).toThrow(/digits/);
		expect(() => numericId('12a', 'Msg Data ID', '')).toThrow(/digits/);
	});
});
