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
  PARLEY_ALERT_WEBHOOK_URL: {
    default: '(unset: mail only)',
    doc: 'https:// URL that receives security alerts as signed JSON (HMAC-SHA256, header X-Parley-Signature); private and loopback addresses are refused unless PARLEY_ALERT_WEBHOOK_ALLOW_PRIVATE=true.',
  },
  PARLEY_ALERT_WEBHOOK_SECRET: {
    default: '(unset)',
    doc: 'Secret (32+ characters) the alert webhook is signed with; required with PARLEY_ALERT_WEBHOOK_URL.',
  },
  PARLEY_ALERT_WEBHOOK_ALLOW_PRIVATE: {
    default: 'false',
    doc: 'true lets the alert webhook target private, loopback and link-local addresses (and plain http:// for those only).',
  },
  PARLEY_ALERT_THROTTLE_MINUTES: {
    default: '15',
    doc: 'At most one alert of a kind per workspace in this many minutes (1–1440), across all nodes with Redis; the next one counts those held back.',
  },
  PARLEY_ALERT_REFUSED_ORIGINS: {
    default: '20',
    doc: 'Requests and WebSocket handshakes refused for their origin within the refusal window that raise an alert (1–100000).',
  },
  PARLEY_ALERT_REFUSED_TICKETS: {
    default: '20',
    doc: 'WebSocket handshakes refused for an unknown, spent or expired ticket within the refusal window that raise an alert (1–100000).',
  },
  PARLEY_ALERT_REFUSED_ADDRESSES: {
    default: '5',
    doc: 'Administration requests refused by PARLEY_ADMIN_ALLOWED_IPS within the refusal window that raise an alert (1–100000).',
  },
  PARLEY_ALERT_REFUSAL_WINDOW_MINUTES: {
    default: '10',
    doc: 'The sliding window the refusal thresholds count in (1–1440), across all nodes with Redis.',
  },
} as const;

type Key = keyof typeof OPERATIONS_SETTINGS;

export interface MetricsConfig {
  /** A listener of its own; null: /metrics on the main listener (then the token is required). */
  readonly port: number | null;
  readonly host: string;
  readonly token: string | null;
}

export interface AlertsConfig {
  readonly webhook: { readonly url: string; readonly secret: string; readonly allowPrivate: boolean } | null;
  readonly throttleMs: number;
  /** Refusals of each kind within `refusalWindowMs` that raise an alert. */
  readonly refusalThresholds: { readonly origin: number; readonly ticket: number; readonly address: number };
  readonly refusalWindowMs: number;
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
}): { metrics: MetricsConfig | null; securityTxt: SecurityTxtConfig | null; alerts: AlertsConfig } {
  return { metrics: readMetrics(o), securityTxt: readSecurityTxt(o), alerts: readAlerts(o) };
}

function readAlerts(o: Parameters<typeof readOperations>[0]): AlertsConfig {
  const url = o.get('PARLEY_ALERT_WEBHOOK_URL');
  const secret = o.get('PARLEY_ALERT_WEBHOOK_SECRET');
  const allowRaw = (o.get('PARLEY_ALERT_WEBHOOK_ALLOW_PRIVATE') ?? 'false').toLowerCase();
  if (allowRaw !== 'true' && allowRaw !== 'false')
    o.problems.push('PARLEY_ALERT_WEBHOOK_ALLOW_PRIVATE must be true or false.');
  if (url !== undefined && !/^https?:\/\/[^\s]+$/.test(url))
    o.problems.push('PARLEY_ALERT_WEBHOOK_URL must be an https:// URL.');
  if ((url === undefined) !== (secret === undefined))
    o.problems.push('Set both PARLEY_ALERT_WEBHOOK_URL and PARLEY_ALERT_WEBHOOK_SECRET, or neither.');
  if (secret !== undefined && secret.length < 32)
    o.problems.push(
      'PARLEY_ALERT_WEBHOOK_SECRET must be at least 32 characters (e.g. openssl rand -hex 32).',
    );
  return {
    webhook: url && secret ? { url, secret, allowPrivate: allowRaw === 'true' } : null,
    throttleMs: o.int('PARLEY_ALERT_THROTTLE_MINUTES', 1, 1440) * 60_000,
    refusalThresholds: {
      origin: o.int('PARLEY_ALERT_REFUSED_ORIGINS', 1, 100_000),
      ticket: o.int('PARLEY_ALERT_REFUSED_TICKETS', 1, 100_000),
      address: o.int('PARLEY_ALERT_REFUSED_ADDRESSES', 1, 100_000),
    },
    refusalWindowMs: o.int('PARLEY_ALERT_REFUSAL_WINDOW_MINUTES', 1, 1440) * 60_000,
  };
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
