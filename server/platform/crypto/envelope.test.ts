import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fieldAad, nextIv, openText, sealText } from './envelope.js';

describe('envelope', () => {
  it('gives every seal its own IV, across refills of the pool', () => {
    const seen = new Set<string>();
    // Several pools' worth (341 IVs each), so refills are crossed.
    for (let i = 0; i < 2000; i += 1) seen.add(nextIv().toString('hex'));
    expect(seen.size).toBe(2000);
    const key = randomBytes(32);
    const aad = fieldAad('messages', 'body', 'row-1');
    const ivs = new Set<string>();
    for (let i = 0; i < 1000; i += 1) {
      const sealed = sealText(key, aad, 'same text');
      ivs.add(Buffer.from(sealed.slice(3), 'base64url').subarray(0, 12).toString('hex'));
      expect(openText(key, aad, sealed, 'test value')).toBe('same text');
    }
    expect(ivs.size).toBe(1000);
  });

  it('an IV handed out is not changed by later draws', () => {
    const first = nextIv();
    const copy = Buffer.from(first);
    for (let i = 0; i < 1000; i += 1) nextIv();
    expect(first.equals(copy)).toBe(true);
  });
});
