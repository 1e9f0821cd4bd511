import { describe, expect, it } from 'vitest';
import { findUnsafeText, isUnsafeText } from './unsafe-text.js';

describe('unsafe text', () => {
  it('finds NUL and unpaired surrogates, and lets paired ones through', () => {
    expect(isUnsafeText('hello 👋')).toBe(false);
    expect(isUnsafeText('a\u0000b')).toBe(true);
    expect(isUnsafeText('\ud83d')).toBe(true);
    expect(isUnsafeText('\ude00x')).toBe(true);
  });

  it('answers null for clean input of any shape', () => {
    expect(
      findUnsafeText({ type: 'message.send', body: 'hi', items: [1, 'two', { three: null }] }),
    ).toBeNull();
    expect(findUnsafeText('plain')).toBeNull();
    expect(findUnsafeText(null)).toBeNull();
    expect(findUnsafeText(new Uint8Array([0, 0xd8]))).toBeNull();
  });

  it('names the path of the unsafe value', () => {
    expect(findUnsafeText({ a: 'ok', b: { c: ['x', 'y\u0000'] }, d: 'fine' })).toBe('/b/c/1');
    expect(findUnsafeText(['fine', ['\ud800']])).toBe('/1/0');
    expect(['/a', '/b']).toContain(findUnsafeText({ a: '\u0000', b: '\u0000' }));
    expect(findUnsafeText('\u0000')).toBe('');
  });

  it('names an unsafe key with its control characters escaped', () => {
    expect(findUnsafeText({ outer: { 'k\u0000y': 'value' } })).toBe('/outer/k\\u0000y');
  });

  it('looks only at the object’s own keys', () => {
    const inherited = Object.create({ 'bad\u0000': 'x' }) as Record<string, unknown>;
    inherited.own = 'fine';
    expect(findUnsafeText(inherited)).toBeNull();
  });
});
