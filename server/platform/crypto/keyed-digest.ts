import { createHmac, hash } from 'node:crypto';

/** SHA-256's block: HMAC pads its key to one (RFC 2104). */
const BLOCK = 64;
/** Values up to this many UTF-8 bytes take the one-shot path; longer ones take createHmac. */
const MAX_VALUE_BYTES = 1024;

/**
 * HMAC-SHA-256 under one key, many values (RFC 2104: H(K ^ opad || H(K ^ ipad || value))), each
 * result's first `bytes` bytes in base64url. The padded key blocks are built once, and each value
 * costs two one-shot hashes: `createHmac` builds a keyed object per value, which was most of the
 * search indexer's CPU (a message hashes every word and word beginning). The result is HMAC's, equal
 * to `createHmac`'s for every key and value (keyed-digest.test.ts).
 */
export class KeyedDigest {
  private readonly inner = Buffer.alloc(BLOCK + MAX_VALUE_BYTES);
  private readonly outer = Buffer.alloc(BLOCK + 32);

  constructor(private readonly key: Buffer) {
    const k = key.length > BLOCK ? hash('sha256', key, 'buffer') : key;
    for (let i = 0; i < BLOCK; i += 1) {
      this.inner[i] = (k[i] ?? 0) ^ 0x36;
      this.outer[i] = (k[i] ?? 0) ^ 0x5c;
    }
  }

  digest(value: string, bytes: number): string {
    // A value that may not fit is written only after measuring it (most never need to be).
    if (value.length * 3 > MAX_VALUE_BYTES && Buffer.byteLength(value, 'utf8') > MAX_VALUE_BYTES) {
      return createHmac('sha256', this.key).update(value, 'utf8').digest().toString('base64url', 0, bytes);
    }
    const n = this.inner.write(value, BLOCK, 'utf8');
    hash('sha256', this.inner.subarray(0, BLOCK + n), 'buffer').copy(this.outer, BLOCK);
    return hash('sha256', this.outer, 'buffer').toString('base64url', 0, bytes);
  }
}
