import { describe, expect, it } from 'vitest';
import { previewOf } from './presenters.js';

describe('the inbox preview', () => {
  it('keeps a one-line message with single spaces as it is', () => {
    expect(previewOf('Where is my order 4411?')).toBe('Where is my order 4411?');
  });

  it('folds runs of white space, tabs and line breaks into one space and trims the ends', () => {
    expect(previewOf('  Hello\n\nthere\tfriend   again ')).toBe('Hello there friend again');
    expect(previewOf('one\ntwo')).toBe('one two');
    expect(previewOf('a\u00a0b')).toBe('a b');
    expect(previewOf(' edge ')).toBe('edge');
  });

  it('cuts a long message near 120 characters at a word boundary', () => {
    const words = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
    const preview = previewOf(words);
    expect(preview.endsWith('…')).toBe(true);
    expect(preview.length).toBeLessThanOrEqual(121);
    expect(words.startsWith(preview.slice(0, -1))).toBe(true);
    expect(preview.slice(0, -1).endsWith(' ')).toBe(false);
  });
});
