import { describe, expect, it } from 'vitest';
import { LANGUAGES, type Language, pickLanguage } from '../../../protocol/languages.js';
import { ar } from './ar.js';
import { de } from './de.js';
import { type Catalogue, en } from './en.js';
import { es } from './es.js';
import { fr } from './fr.js';
import { chooseLanguage, fill, loadCatalogue, textsFor } from './index.js';
import { it as italian } from './it.js';
import { nl } from './nl.js';
import { pl } from './pl.js';
import { pt } from './pt.js';

const CATALOGUES: Record<Language, Catalogue> = { en, de, fr, es, pt, it: italian, nl, pl, ar };

const placeholders = (text: string): string[] =>
  [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();
const keys = Object.keys(CATALOGUES.en).sort();

describe('widget catalogues', () => {
  it('has one catalogue per supported language, and loads each by its code', async () => {
    expect(Object.keys(CATALOGUES).sort()).toEqual([...LANGUAGES].sort());
    for (const lang of LANGUAGES) expect(await loadCatalogue(lang)).toBe(CATALOGUES[lang]);
  });

  for (const lang of LANGUAGES) {
    it(`${lang}: every key, no empty text, the same placeholders as English`, () => {
      const catalogue = CATALOGUES[lang] as Record<string, string>;
      expect(Object.keys(catalogue).sort()).toEqual(keys);
      for (const key of keys) {
        const text = catalogue[key] ?? '';
        expect(text.trim(), `${lang}.${key}`).not.toBe('');
        expect(placeholders(text), `${lang}.${key}`).toEqual(placeholders(CATALOGUES.en[key as 'chat']));
      }
    });
  }

  it('a language other than English is translated, not copied (beyond words that are the same)', () => {
    for (const lang of LANGUAGES.filter((l) => l !== 'en')) {
      const same = keys.filter(
        (k) =>
          (CATALOGUES[lang] as Record<string, string>)[k] === (CATALOGUES.en as Record<string, string>)[k],
      );
      // "Chat", "Message(s)", "Source:" are the same word in a few languages; whole sentences never are.
      expect(same.length, `${lang}: ${same.join(', ')}`).toBeLessThanOrEqual(3);
    }
  });
});

describe('choosing the language', () => {
  it('takes the visitor’s first supported preference, by its base language', () => {
    expect(pickLanguage(['de-AT', 'en-US'])).toBe('de');
    expect(pickLanguage(['sv-SE', 'pt-BR', 'fr'])).toBe('pt');
    expect(pickLanguage(['AR'])).toBe('ar');
    expect(pickLanguage(['sv', 'ja'])).toBeNull();
    expect(pickLanguage([])).toBeNull();
  });

  it('falls back to the widget’s default, and “always use” wins over the browser', () => {
    expect(chooseLanguage({ defaultLanguage: 'nl', always: false }, ['ja-JP'])).toBe('nl');
    expect(chooseLanguage({ defaultLanguage: 'nl', always: false }, ['pl'])).toBe('pl');
    expect(chooseLanguage({ defaultLanguage: 'nl', always: true }, ['pl'])).toBe('nl');
  });
});

describe('texts', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(fill('{n} out of {m}', { n: 3 })).toBe('3 out of {m}');
  });

  it('Arabic is right to left; the others left to right', () => {
    expect(textsFor('ar').dir).toBe('rtl');
    expect(textsFor('de').dir).toBe('ltr');
  });

  it('writes times and lists the way the language does', () => {
    const at = '2026-12-05T15:07:00Z';
    expect(textsFor('de', de).list(['Ada', 'Ben', 'Cy'])).toBe('Ada, Ben und Cy');
    expect(textsFor('en').time(at)).toMatch(/\d{2}:07\s?(AM|PM)/);
    expect(textsFor('de', de).time(at)).toMatch(/^\d{2}:07$/);
    // The Arabic afternoon marker (م), not "PM".
    expect(textsFor('ar', ar).time(at)).toMatch(/م/);
  });

  it('says a refusal in the language, by its code', () => {
    expect(textsFor('de', de).error('rate_limited', 'Too many requests.')).toBe(de.errorRateLimited);
    expect(textsFor('fr', fr).error('something_new', 'English words')).toBe(fr.errorGeneric);
    expect(textsFor('en').error('something_new', 'English words')).toBe('English words');
  });
});
