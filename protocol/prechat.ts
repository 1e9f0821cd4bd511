import { type Static, Type } from '@sinclair/typebox';
import { Id } from './common.js';
import { LIMITS } from './limits.js';
import { Closed } from './responses.js';

/**
 * The pre-chat form of a widget (docs/PROTOCOL.md §3.2): name, email and a consent checkbox, each
 * off, optional or required, shown above the visitor's first question. It never stands between a
 * visitor and their question: "Skip" sends the question without details.
 */

export const PRECHAT_MODES = ['off', 'optional', 'required'] as const;
export type PrechatMode = (typeof PRECHAT_MODES)[number];
export const PrechatMode = Type.Union(PRECHAT_MODES.map((m) => Type.Literal(m)));

export const PRECHAT_LIMITS = { maxPrivacyUrlChars: 2048 } as const;

/** `https://` and a host; checked again on the server (a URL the browser would not parse is refused). */
export const PrivacyUrl = Type.String({
  minLength: 12,
  maxLength: PRECHAT_LIMITS.maxPrivacyUrlChars,
  pattern: '^https://[^\\s/?#]+[^\\s]*$',
});

const settings = {
  enabled: Type.Boolean(),
  name: PrechatMode,
  email: PrechatMode,
  consent: PrechatMode,
  /** The site's privacy policy, linked from the consent checkbox (required when consent is not off). */
  privacyUrl: Type.Union([PrivacyUrl, Type.Null()]),
};

export const PrechatSettingsBody = Type.Object(settings, { additionalProperties: false });
export type PrechatSettingsBody = Static<typeof PrechatSettingsBody>;

export const PrechatSettings = Closed({ widgetId: Id, ...settings });
export type PrechatSettings = Static<typeof PrechatSettings>;

export const PRECHAT_DEFAULTS: PrechatSettingsBody = {
  enabled: false,
  name: 'optional',
  email: 'optional',
  consent: 'off',
  privacyUrl: null,
};

/** What the widget shows, in the session: the consent sentence is composed by the server in its language. */
export const PrechatForm = Closed({
  name: PrechatMode,
  email: PrechatMode,
  consent: PrechatMode,
  privacyUrl: Type.Union([Type.String(), Type.Null()]),
  consentText: Type.String(),
});
export type PrechatForm = Static<typeof PrechatForm>;

/** What the visitor filled in; every field may be absent (the server checks what the widget requires). */
export const PrechatAnswersBody = Type.Object(
  {
    widgetId: Id,
    name: Type.Optional(Type.String({ minLength: 1, maxLength: LIMITS.maxNameChars })),
    email: Type.Optional(
      Type.String({
        minLength: 3,
        maxLength: LIMITS.maxEmailChars,
        pattern: '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$',
      }),
    ),
    consent: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type PrechatAnswersBody = Static<typeof PrechatAnswersBody>;
