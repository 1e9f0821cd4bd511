import { describe, expect, it } from 'vitest';
import { fold, MAX_WORDS_PER_TEXT, prefixesOf, queryPrefix, queryTerms, wordsOf } from './normalize.js';

describe('search normalisation', () => {
  it('folds case, compatibility forms and diacritics', () => {
    expect(fold('Café MÜLLER')).toBe('cafe muller');
    expect(fold('ＫＡＹＡＫ')).toBe('kayak');
    expect(fold('ﬁle')).toBe('file');
    expect(fold('Ångström')).toBe('angstrom');
  });

  it('folds plain ASCII as the normalization forms would, on its short path', () => {
    const byForms = (t: string) =>
      t
        .normalize('NFKC')
        .toLowerCase()
        .normalize('NFD')
        .replace(/\p{M}+/gu, '')
        .normalize('NFC');
    const ascii = Array.from({ length: 128 }, (_, i) => String.fromCharCode(i)).join('');
    expect(fold(ascii)).toBe(byForms(ascii));
    expect(fold('Refund ORDER #42, please!')).toBe('refund order #42, please!');
    // One character past ASCII takes the whole way.
    expect(fold('CAFE\u0301 Ｏrder')).toBe('cafe order');
  });

  it('splits on anything that is not a letter or digit and drops one-letter words', () => {
    expect(wordsOf('Hi! I need a refund, order #A-1234.')).toEqual(['hi', 'need', 'refund', 'order', '1234']);
    expect(wordsOf('日本語 テキスト')).toEqual(['日本語', 'テキスト']);
  });

  it('keeps an email whole as well as its parts', () => {
    expect(wordsOf('Mail Jane.Doe@Example.com now')).toEqual([
      'jane.doe@example.com',
      'mail',
      'jane',
      'doe',
      'example',
      'com',
      'now',
    ]);
  });

  it('gives each word once and bounds the words of one text', () => {
    expect(wordsOf('order order ORDER Order')).toEqual(['order']);
    const many = Array.from({ length: 1000 }, (_, i) => `w${i}`).join(' ');
    expect(wordsOf(many)).toHaveLength(MAX_WORDS_PER_TEXT);
    expect(wordsOf(`${'x'.repeat(500)}`)[0]).toHaveLength(40);
  });

  it('makes type-ahead prefixes shorter than the word, from two characters', () => {
    expect(prefixesOf('jane')).toEqual(['ja', 'jan']);
    expect(prefixesOf('jo')).toEqual([]);
    expect(prefixesOf('internationalisation')).toHaveLength(9);
    expect(prefixesOf('refund', 3)).toEqual(['ref', 'refu', 'refun']);
  });

  it('looks a long query word up by the longest beginning the index keeps', () => {
    expect(queryPrefix('refun')).toBe('refun');
    expect(queryPrefix('internationalis')).toBe('internatio');
  });

  it('reads a query the way it reads text: an email as one term, words otherwise, bounded', () => {
    expect(queryTerms('  Jane.Doe@Example.com  refund ', 8)).toEqual(['jane.doe@example.com', 'refund']);
    expect(queryTerms('Café café CAFE', 8)).toEqual(['cafe']);
    expect(queryTerms('a b c', 8)).toEqual([]);
    expect(queryTerms('one two three four', 2)).toEqual(['one', 'two']);
  });
});
