import { type Static, Type } from '@sinclair/typebox';
import { Id } from './common.js';
import { Translations } from './language-schema.js';
import { Closed } from './responses.js';

export { pathMatches } from './path-glob.js';

/**
 * A widget's proactive message (docs/PROTOCOL.md §2.3): after `delaySeconds` on a page whose path
 * matches `path`, the message is shown once per visitor. `path` is a safe glob, never a regular
 * expression: a path's characters and `*` (any run of characters, `/` included).
 */
export const PROACTIVE_LIMITS = { maxDelaySeconds: 600, maxPathChars: 200, maxTextChars: 280 } as const;

export const PathGlob = Type.String({
  minLength: 1,
  maxLength: PROACTIVE_LIMITS.maxPathChars,
  pattern: "^/[A-Za-z0-9/_.~%*!$&'()+,;=:@-]*$",
});

const ProactiveText = Type.String({ minLength: 1, maxLength: PROACTIVE_LIMITS.maxTextChars });

const rule = {
  enabled: Type.Boolean(),
  delaySeconds: Type.Integer({ minimum: 0, maximum: PROACTIVE_LIMITS.maxDelaySeconds }),
  path: PathGlob,
  /** In the widget's default language. */
  text: ProactiveText,
  textTranslations: Translations(ProactiveText),
};

export const ProactiveRuleBody = Type.Object(rule, { additionalProperties: false });
export type ProactiveRuleBody = Static<typeof ProactiveRuleBody>;

export const ProactiveRule = Closed({
  widgetId: Id,
  ...rule,
  // As stored (the body's pattern checked it on the way in).
  path: Type.String(),
  version: Type.Integer({ minimum: 0 }),
});
export type ProactiveRule = Static<typeof ProactiveRule>;

/**
 * What the loader gets: one text, in the visitor's language, and the card's close button's name in
 * the same language; `version` changes with every edit.
 */
export const PublicProactive = Closed({
  delaySeconds: Type.Integer({ minimum: 0 }),
  path: Type.String(),
  text: Type.String(),
  close: Type.String(),
  version: Type.Integer({ minimum: 0 }),
});
export type PublicProactive = Static<typeof PublicProactive>;
