/**
 * Plain data and functions, no schema library: the widget's iframe imports this (the schemas are in
 * language-schema.ts).
 *
 * The languages the widget and the bot's own texts speak. A language value anywhere in the API is
 * one of these codes, checked by schema: it is never free text, never part of a path or a query.
 * Adding one: its code here, a catalogue in widget/app/i18n/ and server/i18n/ (README "Languages").
 */
export const LANGUAGES = ['en', 'de', 'fr', 'es', 'pt', 'it', 'nl', 'pl', 'ar'] as const;
export type Language = (typeof LANGUAGES)[number];

export const DEFAULT_LANGUAGE: Language = 'en';

/** Written right to left: the widget lays itself out mirrored. */
export const RTL_LANGUAGES: ReadonlySet<Language> = new Set<Language>(['ar']);

/** Each language's name in itself, for a picker. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  en: 'English',
  de: 'Deutsch',
  fr: 'Français',
  es: 'Español',
  pt: 'Português',
  it: 'Italiano',
  nl: 'Nederlands',
  pl: 'Polski',
  ar: 'العربية',
};

export type Translations = Partial<Record<Language, string>>;

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/**
 * The best supported language for a browser's preferences (navigator.languages, most wanted first):
 * an exact match of the base language ("de-AT" → de), in the order the visitor ranked them; null
 * when none is supported.
 */
export function pickLanguage(preferences: readonly string[]): Language | null {
  for (const tag of preferences) {
    const base = tag.trim().toLowerCase().split(/[-_]/)[0];
    if (isLanguage(base)) return base;
  }
  return null;
}

/** The text for `language`: its translation when there is one, else the default text. */
export function translated(
  text: string,
  translations: Translations | null | undefined,
  language: Language | null,
): string {
  const t = language ? translations?.[language] : undefined;
  return t?.trim() ? t : text;
}
