/**
 * WeChat's AES-256-CBC (key from the EncodingAESKey, IV = its first 16 bytes) without any padding
 * or layout of its own, so tests can craft any plaintext: bad padding, lying lengths, other AppIDs.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

function aesKey(encodingAesKey: string): Buffer {
	return Buffer.from(encodingAesKey + '=', 'base64');
}

export function aesEncryptRaw(encodingAesKey: string, plain: Buffer): string {
	const key = aesKey(encodingAesKey);
	const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
	return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
}

export function aesDecryptRaw(encodingAesKey: string, encrypted: string): Buffer {
	const key = aesKey(encodingAesKey);
	const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
	return Buffer.concat([decipher.update(Buffer.from(encrypted, 'base64')), decipher.final()]);
}

/** random(16) | length (uint32 BE, `declaredLength`) | message | appid, not padded. */
export function plaintextLayout(message: Buffer, appId: string, declaredLength = message.length): Buffer {
	const length = Buffer.alloc(4);
	length.writeUInt32BE(declaredLength, 0);
	return Buffer.concat([randomBytes(16), length, message, Buffer.from(appId)]);
}

/** PKCS#7 to `block` bytes: WeChat's 32, or AES's own 16. */
export function pkcs7Pad(plain: Buffer, block = 32): Buffer {
	const padLength = block - (plain.length % block);
	return Buffer.concat([plain, Buffer.alloc(padLength, padLength)]);
}
