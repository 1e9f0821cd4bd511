import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../protocol/languages.js';
import { languageFromHeader } from './accept-language.js';
import { en } from './en.js';
import { languageOf, VISITOR_CATALOGUES, visitorText } from './visitor-texts.js';

const placeholders = (text: string): string[] =>
  [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();

describe('what Parley says to visitors, per language', () => {
  for (const lang of LANGUAGES) {
    it(`${lang}: every key, no empty text, the same placeholders as English`, () => {
      const catalogue = VISITOR_CATALOGUES[lang] as Record<string, string>;
      expect(Object.keys(catalogue).sort()).toEqual(Object.keys(en).sort());
      for (const [key, reference] of Object.entries(en)) {
        const text = catalogue[key] ?? '';
        expect(text.trim(), `${lang}.${key}`).not.toBe('');
        expect(placeholders(text), `${lang}.${key}`).toEqual(placeholders(reference));
      }
    });
  }

  it('fills placeholders, and says a value that is not a supported code in English', () => {
    expect(visitorText('de', 'emailThanks', { email: 'ada@example.com' })).toBe(
      'Danke. Wir antworten auch an ada@example.com.',
    );
    expect(visitorText(null, 'skip')).toBe('Skip');
    expect(visitorText('../../etc/passwd', 'skip')).toBe('Skip');
    expect(languageOf('xx', 'nl')).toBe('nl');
  });
});

describe('Accept-Language', () => {
  it('takes the most wanted supported language, by weight then order', () => {
    expect(languageFromHeader('de-CH,de;q=0.9,en;q=0.8')).toBe('de');
    expect(languageFromHeader('sv-SE,sv;q=0.9,ar;q=0.8,en;q=0.7')).toBe('ar');
    expect(languageFromHeader('en;q=0.2, pl;q=0.9')).toBe('pl');
    expect(languageFromHeader('*')).toBeNull();
    expect(languageFromHeader('fr;q=0')).toBeNull();
    expect(languageFromHeader(undefined)).toBeNull();
    expect(languageFromHeader(`${'x'.repeat(600)},de`)).toBeNull(); // cut at 500 characters
  });
});
