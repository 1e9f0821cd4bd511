import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  indexedTerms,
  isIndexedAuthor,
  MAX_PREFIXES_PER_MESSAGE,
  messageWords,
  visitorWords,
} from './index-policy.js';
import { MAX_WORDS_PER_TEXT } from './normalize.js';
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

describe('word beginnings of a message', () => {
  const of = (body: string, kind: 'word' | 'prefix') =>
    indexedTerms(body)
      .filter((t) => t.kind === kind)
      .map((t) => t.term);

  it('takes the beginnings of each word from three characters, shorter than the word', () => {
    expect(of('I want a refund', 'prefix')).toEqual(['wan', 'ref', 'refu', 'refun']);
    expect(of('I want a refund', 'word')).toEqual(['want', 'refund']);
    // Two-letter words and beginnings are found whole only.
    expect(of('ok so be it', 'prefix')).toEqual([]);
  });

  it('marks a beginning personal only when every word it starts lies inside what masking hides', () => {
    const terms = indexedTerms('Janet asked: mail jane@example.com about the refund');
    const personal = (term: string) => terms.find((t) => t.kind === 'prefix' && t.term === term)?.personal;
    // "jan" also starts "janet", which is open: it stays findable for every role.
    expect(personal('jan')).toBe(false);
    expect(personal('jane@')).toBe(true);
    expect(personal('exam')).toBe(true);
    expect(personal('refu')).toBe(false);
  });

  it('bounds the rows one message makes, whatever its text', () => {
    // 4000 characters of distinct long words: more beginnings than are kept.
    const words = Array.from({ length: 400 }, (_, i) => `w${i.toString(36).padStart(3, 'q')}abcdef`);
    const body = words.join(' ').slice(0, 4000);
    const terms = indexedTerms(body);
    expect(terms.filter((t) => t.kind === 'word')).toHaveLength(MAX_WORDS_PER_TEXT);
    expect(terms.filter((t) => t.kind === 'prefix')).toHaveLength(MAX_PREFIXES_PER_MESSAGE);
    expect(terms.length).toBeLessThanOrEqual(900);
    // Shortest beginnings first: every word is findable by its first characters before any gets longer ones.
    const prefixes = of(body, 'prefix');
    const lengths = prefixes.map((p) => p.length);
    expect(lengths).toEqual([...lengths].sort((a, b) => a - b));
    for (const w of words.slice(0, MAX_WORDS_PER_TEXT)) expect(prefixes).toContain(w.slice(0, 4));
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
