import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KeyedDigest } from './keyed-digest.js';

const reference = (key: Buffer, value: string, bytes: number, encoding: 'base64url' | 'hex' = 'base64url') =>
  createHmac('sha256', key).update(value, 'utf8').digest().subarray(0, bytes).toString(encoding);

/**
 * The search index's keyed hashes are stored: a faster HMAC must give exactly the bytes createHmac
 * gives, or every stored term would stop matching what a search hashes.
 */
describe('KeyedDigest', () => {
  it('equals HMAC-SHA-256 for keys shorter than, as long as and longer than a block', () => {
    for (const length of [1, 16, 32, 63, 64, 65, 100, 200]) {
      const key = randomBytes(length);
      const digest = new KeyedDigest(key);
      for (const value of ['', 'w:refund', 'p:ref', 'x'.repeat(55), 'y'.repeat(56), 'z'.repeat(200)]) {
        expect(digest.digest(value, 16)).toBe(reference(key, value, 16));
        expect(digest.hex(value, 16)).toBe(reference(key, value, 16, 'hex'));
      }
    }
  });

  it('equals HMAC-SHA-256 for any text, in every length a value may take', () => {
    const key = randomBytes(32);
    const digest = new KeyedDigest(key);
    const alphabet = ['a', 'é', 'ß', '日', '😀', '\ud800', '\udc00', ' ', '0'];
    for (let i = 0; i < 2000; i += 1) {
      const length = Math.floor(Math.random() * 400);
      const value = Array.from({ length }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join(
        '',
      );
      expect(digest.digest(value, 16)).toBe(reference(key, value, 16));
      expect(digest.hex(value, 32)).toBe(reference(key, value, 32, 'hex'));
    }
    // Every length in bytes across the padding's edges: 55 and 56 bytes (the length no longer fits
    // the value's last block), 63, 64 and 119, 120 (the next block), up to the resumed path's limit.
    for (let n = 0; n <= 1024; n += 1) {
      const value = 'q'.repeat(n);
      expect(digest.hex(value, 32)).toBe(reference(key, value, 32, 'hex'));
    }
    // Past the one-shot buffer (1,024 bytes), the value is still hashed whole.
    for (const value of [
      'a'.repeat(1024),
      'a'.repeat(1025),
      '日'.repeat(341),
      '日'.repeat(342),
      '😀'.repeat(5000),
    ]) {
      expect(digest.digest(value, 32)).toBe(reference(key, value, 32));
      expect(digest.hex(value, 32)).toBe(reference(key, value, 32, 'hex'));
    }
  });

  it('gives each value its own digest when many follow each other', () => {
    const key = randomBytes(32);
    const digest = new KeyedDigest(key);
    // A long value then a short one: nothing of the first may remain in the shared buffer.
    expect(digest.digest('p:refunds-and-returns', 16)).toBe(reference(key, 'p:refunds-and-returns', 16));
    expect(digest.digest('p:re', 16)).toBe(reference(key, 'p:re', 16));
    expect(digest.hex('p:refunds-and-returns-and-exchanges-of-every-kind-and-more', 16)).toBe(
      reference(key, 'p:refunds-and-returns-and-exchanges-of-every-kind-and-more', 16, 'hex'),
    );
    expect(digest.hex('p:re', 16)).toBe(reference(key, 'p:re', 16, 'hex'));
    expect(new KeyedDigest(randomBytes(32)).digest('p:re', 16)).not.toBe(reference(key, 'p:re', 16));
  });
});
