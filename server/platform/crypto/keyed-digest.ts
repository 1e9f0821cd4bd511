import { createHmac } from 'node:crypto';

/** HMAC-SHA-256 of `value` under `key`, its first `bytes` bytes in base64url. */
export function keyedDigest(key: Buffer, value: string, bytes: number): string {
  return createHmac('sha256', key).update(value, 'utf8').digest().subarray(0, bytes).toString('base64url');
}
