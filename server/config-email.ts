import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Settings for replying to visitors by email and taking their answers back in. They are part of
 * SETTINGS in config.ts (and so of the README table); this file only parses them.
 */
export const EMAIL_SETTINGS = {
  PARLEY_EMAIL_REPLY_DELAY_MINUTES: {
    default: '5',
    doc: 'An agent’s reply the visitor has not seen for this long is mailed to them, if they left an email (1–1440). Replies written meanwhile go in the same mail. Needs PARLEY_SMTP_URL.',
  },
  PARLEY_SMTP_INBOUND_PORT: {
    default: '(unset: off)',
    doc: 'Port of Parley’s own SMTP listener that takes visitors’ answers to reply mail (e.g. 2525 behind the MX, or 25). Needs PARLEY_SMTP_INBOUND_DOMAIN.',
  },
  PARLEY_SMTP_INBOUND_HOST: { default: '127.0.0.1', doc: 'Address the SMTP listener binds.' },
  PARLEY_SMTP_INBOUND_DOMAIN: {
    default: '(unset)',
    doc: 'Domain of the reply addresses (reply+<conversation>.<tag>@this domain); its MX must reach the listener. Unset, reply mail asks the visitor to answer in the chat.',
  },
  PARLEY_SMTP_INBOUND_MAX_KB: {
    default: '256',
    doc: 'Largest inbound mail the listener accepts, in KiB (16–10240); larger ones are refused during the transfer (552).',
  },
  PARLEY_SMTP_AUTHSERV_ID: {
    default: '(unset)',
    doc: 'The authserv-id of the relay in front of the SMTP listener (e.g. mx.example.com): its topmost Authentication-Results header gives each inbound mail’s SPF, DKIM and DMARC verdicts, shown to agents; headers below it are ignored. Unset, no verdict is recorded.',
  },
  PARLEY_DKIM_DOMAIN: {
    default: '(unset)',
    doc: 'With the two below, outgoing mail is DKIM-signed for this domain.',
  },
  PARLEY_DKIM_SELECTOR: {
    default: '(unset)',
    doc: 'DKIM selector (the DNS record is <selector>._domainkey.<domain>).',
  },
  PARLEY_DKIM_PRIVATE_KEY_FILE: {
    default: '(unset)',
    doc: 'PEM file with the DKIM private key (RSA or Ed25519).',
  },
} as const;

export interface EmailConfig {
  readonly replyDelayMs: number;
  /** Parley's SMTP listener for answers; null: off. */
  readonly inbound: {
    readonly host: string;
    readonly port: number;
    readonly maxBytes: number;
  } | null;
  /** The domain of reply addresses; null: mail carries no reply address. */
  readonly replyDomain: string | null;
  /** The trusted relay's authserv-id for Authentication-Results; null: none trusted. */
  readonly authservId: string | null;
  readonly dkim: {
    readonly domainName: string;
    readonly keySelector: string;
    readonly privateKey: string;
  } | null;
}

type Key = keyof typeof EMAIL_SETTINGS;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$|^localhost$/i;

export function readEmail(o: {
  get: (key: Key) => string | undefined;
  int: (key: Key, min: number, max: number) => number;
  problems: string[];
  cwd: string;
  mainPort: number;
}): EmailConfig {
  const { get, int, problems } = o;
  const replyDomain = get('PARLEY_SMTP_INBOUND_DOMAIN')?.toLowerCase() ?? null;
  if (replyDomain !== null && !DOMAIN.test(replyDomain))
    problems.push(
      `PARLEY_SMTP_INBOUND_DOMAIN must be a domain name such as reply.example.com (got "${replyDomain}").`,
    );
  const portRaw = get('PARLEY_SMTP_INBOUND_PORT');
  let inbound: EmailConfig['inbound'] = null;
  if (portRaw !== undefined) {
    if (replyDomain === null) problems.push('PARLEY_SMTP_INBOUND_PORT needs PARLEY_SMTP_INBOUND_DOMAIN.');
    inbound = {
      host: get('PARLEY_SMTP_INBOUND_HOST') ?? EMAIL_SETTINGS.PARLEY_SMTP_INBOUND_HOST.default,
      port: int('PARLEY_SMTP_INBOUND_PORT', 1, 65535),
      maxBytes: int('PARLEY_SMTP_INBOUND_MAX_KB', 16, 10_240) * 1024,
    };
    if (inbound.port === o.mainPort) problems.push('PARLEY_SMTP_INBOUND_PORT must differ from PARLEY_PORT.');
  }
  return {
    replyDelayMs: int('PARLEY_EMAIL_REPLY_DELAY_MINUTES', 1, 1440) * 60_000,
    inbound,
    replyDomain,
    authservId: readAuthservId(o),
    dkim: readDkim(o),
  };
}

function readDkim(o: { get: (key: Key) => string | undefined; problems: string[]; cwd: string }) {
  const domainName = o.get('PARLEY_DKIM_DOMAIN');
  const keySelector = o.get('PARLEY_DKIM_SELECTOR');
  const file = o.get('PARLEY_DKIM_PRIVATE_KEY_FILE');
  const set = [domainName, keySelector, file].filter((v) => v !== undefined).length;
  if (set === 0) return null;
  if (!domainName || !keySelector || !file) {
    o.problems.push(
      'Set PARLEY_DKIM_DOMAIN, PARLEY_DKIM_SELECTOR and PARLEY_DKIM_PRIVATE_KEY_FILE together, or none.',
    );
    return null;
  }
  if (!DOMAIN.test(domainName)) o.problems.push('PARLEY_DKIM_DOMAIN must be a domain name.');
  if (!/^[a-z0-9][a-z0-9._-]{0,62}$/i.test(keySelector))
    o.problems.push('PARLEY_DKIM_SELECTOR must be letters, digits, dots, dashes or underscores.');
  try {
    const privateKey = readFileSync(resolve(o.cwd, file), 'utf8');
    if (!privateKey.includes('PRIVATE KEY-----')) throw new Error('not a PEM private key');
    return { domainName: domainName.toLowerCase(), keySelector, privateKey };
  } catch (err) {
    o.problems.push(`Cannot read the DKIM private key ${file} (${(err as Error).message}).`);
    return null;
  }
}

function readAuthservId(o: { get: (key: Key) => string | undefined; problems: string[] }): string | null {
  const id = o.get('PARLEY_SMTP_AUTHSERV_ID')?.toLowerCase() ?? null;
  if (id !== null && !DOMAIN.test(id))
    o.problems.push(`PARLEY_SMTP_AUTHSERV_ID must be a host name such as mx.example.com (got "${id}").`);
  return id;
}
