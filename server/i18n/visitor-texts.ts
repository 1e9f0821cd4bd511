import { DEFAULT_LANGUAGE, isLanguage, type Language } from '../../protocol/languages.js';
import { ar } from './ar.js';
import { de } from './de.js';
import { en, type VisitorCatalogue, type VisitorTextKey } from './en.js';
import { es } from './es.js';
import { fr } from './fr.js';
import { it } from './it.js';
import { nl } from './nl.js';
import { pl } from './pl.js';
import { pt } from './pt.js';

export type { VisitorTextKey };

export const VISITOR_CATALOGUES: Record<Language, VisitorCatalogue> = { en, de, fr, es, pt, it, nl, pl, ar };

/**
 * What Parley says to a visitor, in their language. A stored value that is not a supported code
 * (a row from before languages: null) means the default language.
 */
export function visitorText(
  language: string | null | undefined,
  key: VisitorTextKey,
  vars: Record<string, string | number> = {},
): string {
  const catalogue = VISITOR_CATALOGUES[isLanguage(language) ? language : DEFAULT_LANGUAGE];
  return catalogue[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in vars ? String(vars[name]) : whole,
  );
}

/** The language of a stored value: the code itself, or the default for anything else. */
export function languageOf(
  value: string | null | undefined,
  fallback: Language = DEFAULT_LANGUAGE,
): Language {
  return isLanguage(value) ? value : fallback;
}
