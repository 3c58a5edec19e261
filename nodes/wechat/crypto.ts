import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

import { PLATFORM_PATHS } from './platformPaths';

/** WeChat pads to 32-byte blocks (PKCS#7 with k = 32), not AES's 16. */
const PAD_BLOCK = 32;
const RANDOM_PREFIX = 16;
const LENGTH_PREFIX = 4;

export type WeChatCryptoErrorCode =
	| 'BAD_KEY_LENGTH'
	| 'BAD_KEY_BASE64'
	| 'BAD_BASE64'
	| 'BAD_CIPHERTEXT_LENGTH'
	| 'BAD_PADDING'
	| 'LENGTH_OVERFLOW'
	| 'APPID_MISMATCH';

export class WeChatCryptoError extends Error {
	constructor(
		readonly code: WeChatCryptoErrorCode,
		message: string,
	) {
		super(message);
		this.name = 'WeChatCryptoError';
	}
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The 32-byte AES key from the 43-character EncodingAESKey of the account's message push settings. */
export function deriveAesKey(encodingAesKey: string): Buffer {
	if (typeof encodingAesKey !== 'string' || encodingAesKey.length !== 43) {
		throw new WeChatCryptoError(
			'BAD_KEY_LENGTH',
			`EncodingAESKey must be exactly 43 characters: copy it again from ${PLATFORM_PATHS.messagePush}`,
		);
	}
	if (!BASE64.test(encodingAesKey) || encodingAesKey.includes('=')) {
		throw new WeChatCryptoError(
			'BAD_KEY_BASE64',
			`EncodingAESKey may hold only letters, digits, + and / (no = padding): copy it again from ${PLATFORM_PATHS.messagePush}`,
		);
	}
	return Buffer.from(encodingAesKey + '=', 'base64');
}

/**
 * AES-256-CBC message crypto of WeChat's compatible and safe modes, both directions.
 * Plaintext layout: random(16) | msg length (uint32 BE) | msg | appid. IV = key[0..16].
 * Build one per credential and reuse it: the key is derived once.
 */
export class MessageCrypto {
	private readonly key: Buffer;
	private readonly iv: Buffer;
	private readonly appId: Buffer;

	constructor(encodingAesKey: string, appId: string) {
		this.key = deriveAesKey(encodingAesKey);
		this.iv = this.key.subarray(0, 16);
		this.appId = Buffer.from(appId, 'utf8');
	}

	/** `random` is for known-answer tests; WeChat and the sandbox use fresh random bytes. */
	encrypt(message: string, random: Buffer = randomBytes(RANDOM_PREFIX)): string {
		const body = Buffer.from(message, 'utf8');
		const length = Buffer.alloc(LENGTH_PREFIX);
		length.writeUInt32BE(body.length, 0);
		const plain = Buffer.concat([random.subarray(0, RANDOM_PREFIX), length, body, this.appId]);
		const padLength = PAD_BLOCK - (plain.length % PAD_BLOCK);
		const padded = Buffer.concat([plain, Buffer.alloc(padLength, padLength)]);
		const cipher = createCipheriv('aes-256-cbc', this.key, this.iv).setAutoPadding(false);
		return Buffer.concat([cipher.update(padded), cipher.final()]).toString('base64');
	}

	/** Decrypts an `<Encrypt>` text and checks its trailing appid against this account's. */
	decrypt(encrypted: string): string {
		const data = Buffer.from(encrypted, 'base64');
		// Node's decoder skips what is not base64; only canonical text encodes back to itself. This
		// costs a fifth of a regular expression over the text, on every push.
		if (data.toString('base64') !== encrypted) {
			throw new WeChatCryptoError('BAD_BASE64', 'encrypted message is not valid base64');
		}
		if (data.length === 0 || data.length % 16 !== 0) {
			throw new WeChatCryptoError(
				'BAD_CIPHERTEXT_LENGTH',
				'encrypted message is not a whole number of AES blocks',
			);
		}
		const decipher = createDecipheriv('aes-256-cbc', this.key, this.iv).setAutoPadding(false);
		const padded = Buffer.concat([decipher.update(data), decipher.final()]);

		const padLength = padded[padded.length - 1];
		if (padLength < 1 || padLength > PAD_BLOCK || padLength > padded.length) {
			throw new WeChatCryptoError('BAD_PADDING', 'decrypted message has invalid padding');
		}
		for (let i = padded.length - padLength; i < padded.length; i++) {
			if (padded[i] !== padLength) {
				throw new WeChatCryptoError('BAD_PADDING', 'decrypted message has invalid padding');
			}
		}
		const plain = padded.subarray(0, padded.length - padLength);
		if (plain.length < RANDOM_PREFIX + LENGTH_PREFIX) {
			throw new WeChatCryptoError('LENGTH_OVERFLOW', 'decrypted message is too short');
		}
		const messageLength = plain.readUInt32BE(RANDOM_PREFIX);
		const messageStart = RANDOM_PREFIX + LENGTH_PREFIX;
		if (messageLength > plain.length - messageStart) {
			throw new WeChatCryptoError(
				'LENGTH_OVERFLOW',
				'decrypted message declares a length beyond its end',
			);
		}
		const appId = plain.subarray(messageStart + messageLength);
		if (!appId.equals(this.appId)) {
			throw new WeChatCryptoError(
				'APPID_MISMATCH',
				'message was encrypted for another AppID: check the AppID of the credential',
			);
		}
		return plain.toString('utf8', messageStart, messageStart + messageLength);
	}
}
