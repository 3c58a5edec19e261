/** The WeChat sandbox: a local emulator of the WeChat Official Account API for tests, demo and benchmarks. */
export { WeChatSandbox } from './sandbox';
export type { MassPushRecord, PushRecord, SandboxStats, StartOptions } from './sandbox';
export { REPRINT_MARK } from './massSend';
export type { MassSend } from './massSend';
export { SANDBOX_DEFAULTS } from './config';
export type { ConfigPatch, Fault, MassSendConfig, PushMode, SandboxConfig } from './config';
export { ACCOUNT_ORIGINAL_ID, MPHELPER_OPENID, toXml } from './pusher';
export type { PushAnswer, PushTamper } from './pusher';
export { FAIL_CHECK_MARK } from './state';
export { ImageServer } from './imageServer';
export { SandboxTokenService, TOKEN_SERVICE_HEADER, TOKEN_SERVICE_SECRET } from './tokenService';
export type { TokenServiceOptions, TokenServiceStats } from './tokenService';
