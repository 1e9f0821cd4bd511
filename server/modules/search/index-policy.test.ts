import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isIndexedAuthor, messageWords, visitorWords } from './index-policy.js';
import { TermHasher } from './term-hasher.js';

describe('what the search index takes', () => {
  it('marks as personal the words only inside what masking hides', () => {
    const words = messageWords('Call me on +44 20 7946 0958 or mail jane@example.com about the refund');
    const personal = words.filter((w) => w.personal).map((w) => w.word);
    const open = words.filter((w) => !w.personal).map((w) => w.word);
    expect(personal).toEqual(expect.arrayContaining(['jane@example.com', 'jane', 'example', '7946', '0958']));
    expect(open).toEqual(
      expect.arrayContaining(['call', 'me', 'on', 'or', 'mail', 'about', 'the', 'refund']),
    );
    expect(open).not.toContain('jane');
  });

  it('keeps a word open when it also appears outside a masked span', () => {
    const words = messageWords('The example order: write to example@shop.com');
    expect(words.find((w) => w.word === 'example')?.personal).toBe(false);
    expect(words.find((w) => w.word === 'shop')?.personal).toBe(true);
  });

  it('indexes people and the site, not the bot’s scripts', () => {
    expect(isIndexedAuthor('visitor')).toBe(true);
    expect(isIndexedAuthor('agent')).toBe(true);
    expect(isIndexedAuthor('api')).toBe(true);
    expect(isIndexedAuthor('bot')).toBe(false);
  });

  it('takes a visitor’s name and email words with their prefixes', () => {
    expect(visitorWords({ name: 'Jane Müller', email: 'jane@x.io' })).toEqual({
      words: ['jane', 'muller', 'jane@x.io', 'io'],
      // "jane@x.io" types ahead too; "jane" is a word, so not also a prefix.
      prefixes: ['ja', 'jan', 'mu', 'mul', 'mull', 'mulle', 'jane@', 'jane@x', 'jane@x.', 'jane@x.i'],
    });
  });
});

describe('term hashes', () => {
  it('are equal for equal words under one key, different across keys, and never the word itself', () => {
    const a = new TermHasher(randomBytes(32));
    const b = new TermHasher(randomBytes(32));
    expect(a.word('refund')).toBe(a.word('refund'));
    expect(a.word('refund')).not.toBe(b.word('refund'));
    expect(a.word('refund')).not.toBe(a.prefix('refund'));
    expect(a.word('refund')).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(a.word('refund')).not.toContain('refund');
  });
});
