import { type Static, type TOptional, type TString, Type } from '@sinclair/typebox';
import { LANGUAGES, type Language } from './languages.js';

export const LanguageCode = Type.Union(
  LANGUAGES.map((l) => Type.Literal(l)),
  { description: 'a supported language code' },
);
export type LanguageCode = Static<typeof LanguageCode>;

/** Texts per language besides the default one (greeting, flow texts); keys from the list only. */
export function Translations<T extends TString>(text: T) {
  const properties = Object.fromEntries(LANGUAGES.map((l) => [l, Type.Optional(text)])) as unknown as Record<
    Language,
    TOptional<T>
  >;
  return Type.Object(properties, { additionalProperties: false });
}
