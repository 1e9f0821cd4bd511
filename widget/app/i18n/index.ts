import {
  DEFAULT_LANGUAGE,
  isLanguage,
  type Language,
  pickLanguage,
  RTL_LANGUAGES,
} from '../../../protocol/languages.js';
import { type Catalogue, en, type MessageKey } from './en.js';

/**
 * English ships in the iframe app; every other catalogue is its own small file (about 0.7 KiB
 * gzip), loaded only by a visitor whose widget shows that language. None reaches the loader.
 */
const CATALOGUES: Record<Language, () => Promise<Catalogue>> = {
  en: async () => en,
  de: async () => (await import('./de.js')).de,
  fr: async () => (await import('./fr.js')).fr,
  es: async () => (await import('./es.js')).es,
  pt: async () => (await import('./pt.js')).pt,
  it: async () => (await import('./it.js')).it,
  nl: async () => (await import('./nl.js')).nl,
  pl: async () => (await import('./pl.js')).pl,
  ar: async () => (await import('./ar.js')).ar,
};

export function loadCatalogue(lang: Language): Promise<Catalogue> {
  return CATALOGUES[lang]();
}

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
  identity_invalid: 'errorIdentity',
  message_too_long: 'errorTooLong',
  email_unavailable: 'errorNoEmail',
  email_not_configured: 'errorEmailOff',
  email_too_soon: 'errorEmailTooSoon',
  attachment_empty: 'errorFileEmpty',
  attachment_type_not_allowed: 'errorFileType',
  attachment_unreadable: 'errorFileUnreadable',
  attachment_too_large: 'errorFileTooLarge',
  attachment_image_too_large: 'errorImageTooLarge',
  attachment_conversation_full: 'errorFilesFull',
  attachment_quota_exceeded: 'errorFilesQuota',
  attachment_infected: 'errorFileInfected',
  attachment_scan_unavailable: 'errorFileScan',
  too_many_files: 'errorTooManyFiles',
  not_connected: 'errorNotConnected',
  prechat_field_required: 'errorPrechatRequired',
  consent_required: 'errorConsentRequired',
};

/** The widget's texts in `lang`, from its catalogue (loadCatalogue). */
export function textsFor(lang: Language, catalogue: Catalogue = en): Texts {
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
