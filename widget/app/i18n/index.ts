import {
  DEFAULT_LANGUAGE,
  isLanguage,
  type Language,
  pickLanguage,
  RTL_LANGUAGES,
} from '../../../protocol/languages.js';
import { ar } from './ar.js';
import { de } from './de.js';
import { type Catalogue, en, type MessageKey } from './en.js';
import { es } from './es.js';
import { fr } from './fr.js';
import { it } from './it.js';
import { nl } from './nl.js';
import { pl } from './pl.js';
import { pt } from './pt.js';

/**
 * All catalogues ship in the iframe app (about 1.5 KiB gzip each): the frame's files have fixed
 * names (widget/vite.config.ts, no chunks), and none of this reaches the loader on the host page.
 */
export const CATALOGUES: Record<Language, Catalogue> = { en, de, fr, es, pt, it, nl, pl, ar };

export type Vars = Record<string, string | number>;

/** Fills `{name}` placeholders; a placeholder without a value stays as written (a visible bug, not a crash). */
export function fill(template: string, vars: Vars = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** What the widget says and how it writes times, in one language. */
export interface Texts {
  lang: Language;
  dir: 'ltr' | 'rtl';
  t(key: MessageKey, vars?: Vars): string;
  /** A message's time of day, as people of this language write it. */
  time(iso: string | undefined): string;
  /** "Ada, Ben and Cy", with this language's "and". */
  list(names: readonly string[]): string;
  /** A refusal for people: the server's code in this language; the server's own words as a last resort in English. */
  error(code: string | undefined, message: string | undefined): string;
}

const ERROR_KEYS: Record<string, MessageKey> = {
  network_error: 'errorNetwork',
  internal_error: 'errorGeneric',
  service_unavailable: 'errorGeneric',
  rate_limited: 'errorRateLimited',
  too_many_attempts: 'errorRateLimited',
  origin_not_allowed: 'errorNotAllowed',
  insecure_origin: 'errorNotAllowed',
  widget_not_found: 'errorNotAllowed',
  identity_required: 'errorSignIn',
  identity_invalid: 'errorSignIn',
  message_too_long: 'errorTooLong',
};

export function textsFor(lang: Language): Texts {
  const catalogue = CATALOGUES[lang];
  const clock = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit' });
  const and = new Intl.ListFormat(lang, { style: 'long', type: 'conjunction' });
  const t = (key: MessageKey, vars?: Vars): string => fill(catalogue[key], vars);
  return {
    lang,
    dir: RTL_LANGUAGES.has(lang) ? 'rtl' : 'ltr',
    t,
    time: (iso) => (iso ? clock.format(new Date(iso)) : ''),
    list: (names) => and.format(names),
    error: (code, message) => {
      const key = code ? ERROR_KEYS[code] : undefined;
      if (key) return t(key);
      return lang === 'en' && message ? message : t('errorGeneric');
    },
  };
}

/** How the widget is set up to choose (the frame's data attributes, from the widget's settings). */
export interface LanguageChoice {
  defaultLanguage: Language;
  /** Always the default language, whatever the browser prefers. */
  always: boolean;
}

/** The widget's language: forced, else the browser's best supported preference, else the default. */
export function chooseLanguage(choice: LanguageChoice, preferences: readonly string[]): Language {
  if (choice.always) return choice.defaultLanguage;
  return pickLanguage(preferences) ?? choice.defaultLanguage;
}

/** Reads the choice the frame document carries; anything unexpected means English, browser-chosen. */
export function choiceOf(dataset: DOMStringMap): LanguageChoice {
  const lang = dataset.defaultLanguage;
  return {
    defaultLanguage: isLanguage(lang) ? lang : DEFAULT_LANGUAGE,
    always: dataset.alwaysLanguage === 'true',
  };
}
