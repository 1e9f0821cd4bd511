/**
 * Settings for voice and video calls: the STUN/TURN servers browsers use to reach each other, and
 * the secret TURN credentials are made with. Part of SETTINGS in config.ts (and so of the README
 * table); this file only parses them.
 */
export const CALL_SETTINGS = {
  PARLEY_ICE_SERVERS: {
    default: '(unset)',
    doc: 'STUN/TURN servers for calls, comma-separated: stun:, stuns:, turn: or turns: URLs (e.g. `stun:turn.example.com:3478,turn:turn.example.com:3478?transport=udp,turns:turn.example.com:5349`). Unset: browsers only try direct and host candidates.',
  },
  PARLEY_TURN_SECRET: {
    default: '(unset)',
    doc: 'The shared secret of the TURN server (coturn `static-auth-secret`), at least 32 characters; required when PARLEY_ICE_SERVERS names a turn: or turns: server. Parley hands out credentials made from it (the TURN REST convention), never the secret.',
  },
  PARLEY_TURN_TTL_SECONDS: {
    default: '600',
    doc: 'How long a TURN credential handed out with a call token stays valid (60–86400 s).',
  },
} as const;

export interface CallsConfig {
  /** stun:/stuns: URLs, handed out as they are. */
  readonly stunUrls: readonly string[];
  /** turn:/turns: URLs, handed out with a credential made for the asking principal. */
  readonly turnUrls: readonly string[];
  readonly turnSecret: string | null;
  readonly turnTtlSeconds: number;
}

/** RFC 7064/7065 URIs: scheme, host (name, IPv4 or [IPv6]), optional port; TURN may name a transport. */
const STUN = /^stuns?:(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/;
const TURN = /^turns?:(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?(\?transport=(udp|tcp))?$/;

export function readCalls(o: {
  get: (key: keyof typeof CALL_SETTINGS) => string | undefined;
  int: (key: keyof typeof CALL_SETTINGS, min: number, max: number) => number;
  problems: string[];
}): CallsConfig {
  const urls = (o.get('PARLEY_ICE_SERVERS') ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u.length > 0);
  const stunUrls: string[] = [];
  const turnUrls: string[] = [];
  for (const url of urls) {
    if (STUN.test(url)) stunUrls.push(url);
    else if (TURN.test(url)) turnUrls.push(url);
    else
      o.problems.push(
        `PARLEY_ICE_SERVERS: "${url.slice(0, 80)}" is not a stun:, stuns:, turn: or turns: URL (host[:port], turn may add ?transport=udp|tcp; no user or password in it).`,
      );
  }
  const secret = o.get('PARLEY_TURN_SECRET') ?? null;
  if (secret !== null && secret.length < 32)
    o.problems.push('PARLEY_TURN_SECRET must be at least 32 characters (e.g. openssl rand -hex 32).');
  if (turnUrls.length > 0 && secret === null)
    o.problems.push(
      'PARLEY_ICE_SERVERS names a TURN server: set PARLEY_TURN_SECRET to its static-auth-secret, so Parley can hand out short-lived credentials.',
    );
  return {
    stunUrls,
    turnUrls,
    turnSecret: secret,
    turnTtlSeconds: o.int('PARLEY_TURN_TTL_SECONDS', 60, 86_400),
  };
}
