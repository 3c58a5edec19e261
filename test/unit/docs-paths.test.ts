import { trackedLinesMatching } from './tracked-lines';

// WeChat moved an account's development settings from the 公众平台's 设置与开发 → 基本配置 to the
// WeChat Developer Platform (https://developers.weixin.qq.com/doc/subscription/guide/dev/migration.html).
// No tracked file may send anyone to the old page, in Chinese or in English.
const OLD_PATHS = [
	{ what: '基本配置 (the old page)', pattern: String.raw`基本配置` },
	{ what: '设置与开发 → … (the old menu)', pattern: String.raw`设置与开发\s*(?:→|->|>|-|/)` },
	{ what: '开发接口管理 (the old module)', pattern: String.raw`开发接口管理` },
	{ what: '"Settings and Development" (the old menu in English)', pattern: String.raw`Settings (?:and|&) Development|Development Settings\s*(?:→|->|>)` },
	{ what: '"Basic Configuration" / "Basic Settings" (the old page in English)', pattern: String.raw`Basic (?:Configuration|Settings)\b` },
	// Case-sensitive: the old label, not "the server configuration" in prose.
	{ what: '"Server Configuration" (the old section in English)', pattern: String.raw`Server Configuration\b`, caseSensitive: true },
];

describe('paths to the settings', () => {
	it.each(OLD_PATHS)('no tracked file names $what', ({ pattern, caseSensitive }) => {
		expect(trackedLinesMatching(pattern, { ignoreCase: !caseSensitive, exceptFile: 'test/unit/docs-paths.test.ts' })).toEqual([]);
	});

	it('the patterns catch the old words and let the current ones through', () => {
		const caught = (text: string) => OLD_PATHS.filter(({ pattern, caseSensitive }) => new RegExp(pattern, caseSensitive ? 'u' : 'iu').test(text)).length;
		expect(
			[
				'设置与开发 → 基本配置',
				'公众平台 基本配置 → 服务器配置',
				'设置与开发 - 开发接口管理',
				'Settings and Development → Basic Configuration',
				'the Basic Settings page',
				'(Server Configuration)',
			].map(caught).every((count) => count > 0),
		).toBe(true);
		expect(
			[
				'微信开发者平台 → 我的业务 → 公众号/服务号 → 基础信息 → 开发密钥',
				'基础信息 → 域名与消息推送配置',
				'接口管理 → 接口权限与额度',
				'WeChat Developer Platform → My Services → the account → Basic Info → Development Keys',
				'moved from the 公众平台 设置与开发 menu',
				'while the server configuration is in plain mode',
			].map(caught),
		).toEqual([0, 0, 0, 0, 0, 0]);
	});
});
