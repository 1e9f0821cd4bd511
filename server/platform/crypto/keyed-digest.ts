import { createHmac, hash } from 'node:crypto';
import { compressBlock, SHA256_IV } from './sha256-block.js';

/** SHA-256's block: HMAC pads its key to one (RFC 2104). */
const BLOCK = 64;
/** Values up to this many UTF-8 bytes take the resumed path; longer ones take createHmac. */
const MAX_VALUE_BYTES = 1024;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * HMAC-SHA-256 under one key, many values (RFC 2104: H(K ^ opad || H(K ^ ipad || value))), each
 * result's first `bytes` bytes in base64url or hex. The two key blocks are hashed once, when the key
 * is given, and every value resumes from their saved states: a word of the search index costs two
 * compressions (its own padded block and the outer one) and no call into node:crypto. `createHmac`
 * per value hashed both key blocks again and built a keyed object each time, and two one-shot
 * `hash` calls per value were still most of the search indexer's CPU. The result is HMAC's, equal to
 * `createHmac`'s for every key and value (keyed-digest.test.ts).
 */
export class KeyedDigest {
  private readonly innerStart = new Int32Array(8);
  private readonly outerStart = new Int32Array(8);
  private readonly state = new Int32Array(8);
  /** The value, then SHA-256's padding (FIPS 180-4, 5.1.1): 0x80, zeros, the length in bits. */
  private readonly inner = Buffer.alloc(MAX_VALUE_BYTES + 1 + 8 + BLOCK);
  /** The inner hash and its padding: always one block (64 + 32 bytes hashed, 768 bits). */
  private readonly outer = new Uint8Array(BLOCK);
  private readonly result = Buffer.alloc(32);

  constructor(private readonly key: Buffer) {
    const k = key.length > BLOCK ? hash('sha256', key, 'buffer') : key;
    const pad = Buffer.alloc(BLOCK);
    for (const [start, xor] of [
      [this.innerStart, 0x36],
      [this.outerStart, 0x5c],
    ] as const) {
      for (let i = 0; i < BLOCK; i += 1) pad[i] = (k[i] ?? 0) ^ xor;
      start.set(SHA256_IV);
      compressBlock(start, pad, 0);
    }
    pad.fill(0);
    this.outer[32] = 0x80;
    this.outer[62] = ((BLOCK + 32) * 8) >>> 8;
    this.outer[63] = ((BLOCK + 32) * 8) & 0xff;
  }

  /** The first `bytes` bytes of the value's HMAC, in base64url. */
  digest(value: string, bytes: number): string {
    if (!this.run(value)) return this.slow(value).toString('base64url', 0, bytes);
    return this.result.toString('base64url', 0, bytes);
  }

  /** The first `bytes` bytes of the value's HMAC, in hex. */
  hex(value: string, bytes: number): string {
    if (!this.run(value)) return this.slow(value).toString('hex', 0, bytes);
    let out = '';
    for (let i = 0; i < bytes; i += 1) out += HEX[this.result[i] as number];
    return out;
  }

  /** Leaves the value's HMAC in `result`; false for a value too long for the buffer (see slow). */
  private run(value: string): boolean {
    // A value that may not fit is written only after measuring it (most never need to be).
    if (value.length * 3 > MAX_VALUE_BYTES && Buffer.byteLength(value, 'utf8') > MAX_VALUE_BYTES)
      return false;
    const n = this.inner.write(value, 0, 'utf8');
    const end = (Math.floor((n + 8) / BLOCK) + 1) * BLOCK;
    this.inner.fill(0, n, end);
    this.inner[n] = 0x80;
    // The length in bits counts the key block hashed before: (64 + n) * 8 < 2^32.
    this.inner.writeUInt32BE((BLOCK + n) * 8, end - 4);
    this.state.set(this.innerStart);
    for (let offset = 0; offset < end; offset += BLOCK) compressBlock(this.state, this.inner, offset);
    this.wordsInto(this.outer);
    this.state.set(this.outerStart);
    compressBlock(this.state, this.outer, 0);
    this.wordsInto(this.result);
    return true;
  }

  /** The state's eight words, big-endian, into the first 32 bytes of `to`. */
  private wordsInto(to: Uint8Array): void {
    for (let i = 0; i < 8; i += 1) {
      const w = this.state[i] as number;
      to[i * 4] = w >>> 24;
      to[i * 4 + 1] = w >>> 16;
      to[i * 4 + 2] = w >>> 8;
      to[i * 4 + 3] = w;
    }
  }

  private slow(value: string): Buffer {
    return createHmac('sha256', this.key).update(value, 'utf8').digest();
  }
}
