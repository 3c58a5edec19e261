/**
 * Where an account's development settings live since WeChat moved them from the 公众平台's
 * 设置与开发 to the WeChat Developer Platform, developers.weixin.qq.com/platform
 * (https://developers.weixin.qq.com/doc/subscription/guide/dev/migration.html): in English for
 * the reader, then WeChat's own Chinese labels for the click.
 */
function path(english: string, chinese: string): string {
	return `WeChat Developer Platform → My Services → the account → ${english} (微信开发者平台 → 我的业务 → 公众号/服务号 → ${chinese})`;
}

export const PLATFORM_PATHS = {
	/** AppID. */
	basicInfo: path('Basic Info', '基础信息'),
	/** AppSecret and the IP allow-list (IP白名单). */
	developmentKeys: path('Basic Info → Development Keys', '基础信息 → 开发密钥'),
	/** Server URL, Token, EncodingAESKey and message mode. */
	messagePush: path('Basic Info → Domain and Message Push', '基础信息 → 域名与消息推送配置'),
	/** What the account may call, and its daily quotas. */
	permissions: path('Interface Management → Interface Permissions and Quotas', '接口管理 → 接口权限与额度'),
} as const;
