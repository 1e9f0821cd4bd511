/**
 * Settings for messaging channels (Telegram, WhatsApp, Messenger, Instagram). They are part of
 * SETTINGS in config.ts (and so of the README table); this file only parses them.
 */
export const CHANNEL_SETTINGS = {
  PARLEY_TELEGRAM_API_URL: {
    default: 'https://api.telegram.org',
    doc: 'Base URL of the Telegram Bot API (`<url>/bot<token>/sendMessage`). Change it only for a local Bot API server or tests.',
  },
  PARLEY_META_GRAPH_API_URL: {
    default: 'https://graph.facebook.com/v21.0',
    doc: 'Base URL, with version, of Meta’s Graph API that WhatsApp Cloud API, Messenger and Instagram replies go to.',
  },
  PARLEY_CHANNELS_ALLOW_PRIVATE: {
    default: 'false',
    doc: 'true lets the two URLs above point at private or loopback addresses, over plain http on those only (tests, a local Bot API server). Leave false on a public host.',
  },
  PARLEY_CHANNELS_TIMEOUT_MS: {
    default: '10000',
    doc: 'How long one request to a platform may take (100–60000) before it counts as failed and is retried.',
  },
} as const;

export interface ChannelsConfig {
  readonly telegramApiUrl: string;
  readonly metaGraphApiUrl: string;
  readonly allowPrivate: boolean;
  readonly timeoutMs: number;
}

export function readChannels(o: {
  get: (key: keyof typeof CHANNEL_SETTINGS) => string | undefined;
  int: (key: keyof typeof CHANNEL_SETTINGS, min: number, max: number) => number;
  problems: string[];
}): ChannelsConfig {
  const raw = (o.get('PARLEY_CHANNELS_ALLOW_PRIVATE') ?? 'false').trim().toLowerCase();
  if (raw !== 'true' && raw !== 'false')
    o.problems.push('PARLEY_CHANNELS_ALLOW_PRIVATE must be true or false.');
  const url = (key: 'PARLEY_TELEGRAM_API_URL' | 'PARLEY_META_GRAPH_API_URL') => {
    const value = (o.get(key) ?? CHANNEL_SETTINGS[key].default).trim().replace(/\/+$/, '');
    try {
      const parsed = new URL(value);
      if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error('scheme');
      if (parsed.username || parsed.password || parsed.search || parsed.hash) throw new Error('extras');
    } catch {
      o.problems.push(`${key} must be an http(s) URL without credentials, query or fragment.`);
    }
    return value;
  };
  return {
    telegramApiUrl: url('PARLEY_TELEGRAM_API_URL'),
    metaGraphApiUrl: url('PARLEY_META_GRAPH_API_URL'),
    allowPrivate: raw === 'true',
    timeoutMs: o.int('PARLEY_CHANNELS_TIMEOUT_MS', 100, 60_000),
  };
}
