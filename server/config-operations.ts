import { isIP } from 'node:net';

/**
 * Settings for monitoring and vulnerability disclosure: the Prometheus endpoint and security.txt.
 * They are part of SETTINGS in config.ts (and so of the README table); this file only parses them.
 */
export const OPERATIONS_SETTINGS = {
  PARLEY_METRICS_PORT: {
    default: '(unset: no listener)',
    doc: 'Serve Prometheus metrics at /metrics on this port, a listener of its own (bound to PARLEY_METRICS_HOST). Metrics are off unless this or PARLEY_METRICS_TOKEN is set.',
  },
  PARLEY_METRICS_HOST: {
    default: '127.0.0.1',
    doc: 'Address the metrics listener binds. Anything but a loopback address requires PARLEY_METRICS_TOKEN.',
  },
  PARLEY_METRICS_TOKEN: {
    default: '(unset)',
    doc: 'Bearer token (32+ characters) a scraper must send. Without PARLEY_METRICS_PORT, /metrics is served on the main listener and only with this token; with it, the metrics listener asks for it too.',
  },
  PARLEY_SECURITY_CONTACT: {
    default: '(unset: no security.txt)',
    doc: 'Where to report a vulnerability: comma-separated mailto:, https: or tel: URIs. Set, Parley serves /.well-known/security.txt (RFC 9116); unset, that path answers 404.',
  },
  PARLEY_SECURITY_EXPIRES: {
    default: '(unset: 180 days after start)',
    doc: 'When the security.txt information stops being valid (ISO 8601 date or date-time, in the future, at most a year ahead).',
  },
  PARLEY_SECURITY_POLICY: {
    default: '(unset)',
    doc: 'https:// URL of your vulnerability disclosure policy, for the Policy field of security.txt.',
  },
  PARLEY_SECURITY_LANGUAGES: {
    default: 'en',
    doc: 'Languages reports may be written in (Preferred-Languages of security.txt), comma-separated.',
  },
} as const;

type Key = keyof typeof OPERATIONS_SETTINGS;

export interface MetricsConfig {
  /** A listener of its own; null: /metrics on the main listener (then the token is required). */
  readonly port: number | null;
  readonly host: string;
  readonly token: string | null;
}

export interface SecurityTxtConfig {
  readonly contacts: readonly string[];
  /** null: 180 days after the node started. */
  readonly expires: Date | null;
  readonly policy: string | null;
  readonly languages: readonly string[];
}

const TOKEN = /^[A-Za-z0-9._~+/=-]{32,256}$/;
const YEAR_MS = 366 * 86_400_000;

export function readOperations(o: {
  get: (key: Key) => string | undefined;
  int: (key: Key, min: number, max: number) => number;
  problems: string[];
  mainPort: number;
  redirectPort: number | null;
  isLoopback: (host: string) => boolean;
  now?: Date;
}): { metrics: MetricsConfig | null; securityTxt: SecurityTxtConfig | null } {
  return { metrics: readMetrics(o), securityTxt: readSecurityTxt(o) };
}

function readMetrics(o: Parameters<typeof readOperations>[0]): MetricsConfig | null {
  const portRaw = o.get('PARLEY_METRICS_PORT');
  const hostRaw = o.get('PARLEY_METRICS_HOST');
  const token = o.get('PARLEY_METRICS_TOKEN') ?? null;
  if (token !== null && !TOKEN.test(token))
    o.problems.push(
      'PARLEY_METRICS_TOKEN must be 32 to 256 characters of letters, digits and ._~+/=- (e.g. openssl rand -hex 32).',
    );
  if (portRaw === undefined) {
    if (hostRaw !== undefined) o.problems.push('PARLEY_METRICS_HOST needs PARLEY_METRICS_PORT.');
    return token === null ? null : { port: null, host: '', token };
  }
  const port = o.int('PARLEY_METRICS_PORT', 1, 65535);
  if (port === o.mainPort || port === o.redirectPort) {
    // The public listener serves metrics only behind a token, never by accident of a port number.
    o.problems.push(
      'PARLEY_METRICS_PORT must differ from PARLEY_PORT and PARLEY_HTTP_REDIRECT_PORT. To serve /metrics on the main listener, leave PARLEY_METRICS_PORT unset and set PARLEY_METRICS_TOKEN.',
    );
  }
  const host = hostRaw ?? OPERATIONS_SETTINGS.PARLEY_METRICS_HOST.default;
  if (isIP(host) === 0) o.problems.push(`PARLEY_METRICS_HOST must be an IP address (got "${host}").`);
  else if (!o.isLoopback(host) && token === null)
    o.problems.push(
      `Refusing to serve metrics on ${host} without PARLEY_METRICS_TOKEN: set a token, or bind PARLEY_METRICS_HOST to a loopback address.`,
    );
  return { port, host, token };
}

function readSecurityTxt(o: Parameters<typeof readOperations>[0]): SecurityTxtConfig | null {
  const raw = o.get('PARLEY_SECURITY_CONTACT');
  if (raw === undefined) {
    for (const key of ['PARLEY_SECURITY_EXPIRES', 'PARLEY_SECURITY_POLICY'] as const)
      if (o.get(key) !== undefined) o.problems.push(`${key} needs PARLEY_SECURITY_CONTACT.`);
    return null;
  }
  const contacts = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const c of contacts) {
    if (!/^(mailto:[^\s@]+@[^\s@]+|https:\/\/\S+|tel:\+?[0-9 ()-]{3,40})$/.test(c) || /[\r\n]/.test(c))
      o.problems.push(`PARLEY_SECURITY_CONTACT: "${c}" is not a mailto:, https: or tel: URI.`);
  }
  const now = o.now ?? new Date();
  const expiresRaw = o.get('PARLEY_SECURITY_EXPIRES');
  let expires: Date | null = null;
  if (expiresRaw !== undefined) {
    const t = Date.parse(expiresRaw);
    if (!/^\d{4}-\d{2}-\d{2}/.test(expiresRaw) || Number.isNaN(t))
      o.problems.push('PARLEY_SECURITY_EXPIRES must be an ISO 8601 date such as 2027-06-30.');
    else if (t <= now.getTime())
      o.problems.push('PARLEY_SECURITY_EXPIRES is in the past: give a later date.');
    else if (t - now.getTime() > YEAR_MS)
      o.problems.push('PARLEY_SECURITY_EXPIRES must be at most a year ahead (RFC 9116 §2.5.5).');
    else expires = new Date(t);
  }
  const policy = o.get('PARLEY_SECURITY_POLICY') ?? null;
  if (policy !== null && !/^https:\/\/[^\s]+$/.test(policy))
    o.problems.push('PARLEY_SECURITY_POLICY must be an https:// URL.');
  const languages = (o.get('PARLEY_SECURITY_LANGUAGES') ?? 'en')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const l of languages)
    if (!/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(l))
      o.problems.push(`PARLEY_SECURITY_LANGUAGES: "${l}" is not a language tag.`);
  return { contacts, expires, policy, languages };
}
