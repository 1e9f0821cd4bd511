/**
 * Settings for the external bot webhook. They are part of SETTINGS in config.ts (and so of the
 * README table); this file only parses them from the values config.ts hands over.
 */
export const EXTERNAL_BOT_SETTINGS = {
  PARLEY_EXTERNAL_BOT_ALLOW_PRIVATE: {
    default: 'false',
    doc: 'true lets widgets call external bot webhooks on private, loopback and link-local addresses, and over plain http on those only (on-premises bots, tests). Leave false on a public host.',
  },
  PARLEY_EXTERNAL_BOT_TIMEOUT_MS: {
    default: '5000',
    doc: 'How long one webhook request may take (100–30000) before it counts as failed; two retries follow with backoff, then the conversation goes to a person.',
  },
} as const;

export interface ExternalBotConfig {
  readonly allowPrivate: boolean;
  readonly timeoutMs: number;
  /** Retries after a failed attempt (network error, timeout, 5xx, 429); backoff doubles from 250 ms. */
  readonly retries: number;
}

export function readExternalBot(o: {
  get: (key: keyof typeof EXTERNAL_BOT_SETTINGS) => string | undefined;
  int: (key: keyof typeof EXTERNAL_BOT_SETTINGS, min: number, max: number) => number;
  problems: string[];
}): ExternalBotConfig {
  const raw = (o.get('PARLEY_EXTERNAL_BOT_ALLOW_PRIVATE') ?? 'false').trim().toLowerCase();
  if (raw !== 'true' && raw !== 'false')
    o.problems.push('PARLEY_EXTERNAL_BOT_ALLOW_PRIVATE must be true or false.');
  return {
    allowPrivate: raw === 'true',
    timeoutMs: o.int('PARLEY_EXTERNAL_BOT_TIMEOUT_MS', 100, 30_000),
    retries: 2,
  };
}
