import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { ATTACHMENT_SETTINGS, type AttachmentConfig, readAttachments } from './config-attachments.js';
import { CALL_SETTINGS, type CallsConfig, readCalls } from './config-calls.js';
import { CHANNEL_SETTINGS, type ChannelsConfig, readChannels } from './config-channels.js';
import {
  DATA_PROTECTION_SETTINGS,
  type DataProtectionConfig,
  readDataProtection,
} from './config-data-protection.js';
import {
  type ClientCertConfig,
  DIRECTORY_SETTINGS,
  type DirectoryConfig,
  type OidcConfig,
  readDirectory,
} from './config-directory.js';
import { EMAIL_SETTINGS, type EmailConfig, readEmail } from './config-email.js';
import { EXTERNAL_BOT_SETTINGS, type ExternalBotConfig, readExternalBot } from './config-external-bot.js';
import {
  type AlertsConfig,
  type MetricsConfig,
  OPERATIONS_SETTINGS,
  readOperations,
  type SecurityTxtConfig,
} from './config-operations.js';
import { type AddressList, parseAddressList } from './platform/http/client-address.js';
import { parseRateLimits, type RateLimitSettings } from './platform/http/rate-limits.js';

/**
 * Every setting Parley reads, from the environment and optionally a JSON file (PARLEY_CONFIG_FILE)
 * whose keys are the same variable names. The environment wins over the file. All violations are
 * collected and reported together; `process.env` is read here and nowhere else.
 */
export interface Config {
  readonly host: string;
  readonly port: number;
  readonly publicUrl: string;
  readonly publicOrigin: string;
  readonly publicHost: string;
  readonly dataDir: string;
  readonly database:
    | { readonly kind: 'sqlite'; readonly file: string }
    | {
        readonly kind: 'postgres';
        readonly url: string;
        /** Named prepared statements (platform/db/named-statements.ts); on unless set to false. */
        readonly preparedStatements?: boolean;
      };
  readonly redisUrl: string | null;
  /** Worker processes `parley start` runs (node:cluster); 1: the process serves itself. */
  readonly workers: number;
  /** Which of those workers this process is (1…N); null when it serves by itself. */
  readonly workerSlot: number | null;
  readonly tls: { readonly certFile: string; readonly keyFile: string } | null;
  readonly trustedProxies: readonly string[];
  /** A plain-HTTP port that only redirects to the https public URL; null: no such listener. */
  readonly httpRedirectPort: number | null;
  readonly rateLimits: RateLimitSettings;
  readonly wsConnectionsPerIp: number;
  /** Where administration may be used from; null: from anywhere. */
  readonly adminAllowedIps: AddressList | null;
  readonly sessionIdleMs: number;
  readonly sessionAbsoluteMs: number;
  readonly visitorIdleMs: number;
  readonly visitorAbsoluteMs: number;
  readonly passwordMinLength: number;
  /** null: the embedded outbox, readable by administrators in the dashboard and the CLI. */
  readonly smtpUrl: string | null;
  readonly mailFrom: string;
  /**
   * Deprecated PARLEY_MFA_KEY: the key earlier versions sealed TOTP secrets with, read only at start to
   * move those under the master key ring (null: look for mfa.key in dataDir, never create it).
   */
  readonly mfaKey: string | null;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly dataProtection: DataProtectionConfig;
  readonly externalBot: ExternalBotConfig;
  /** Voice and video calls: ICE servers and TURN credentials (config-calls.ts). */
  readonly calls: CallsConfig;
  readonly channels: ChannelsConfig;
  /** Prometheus metrics; null: off. */
  readonly metrics: MetricsConfig | null;
  /** /.well-known/security.txt; null: not served (404). */
  readonly securityTxt: SecurityTxtConfig | null;
  /** Security alerts: mail to administrators always; the signed webhook when configured. */
  readonly alerts: AlertsConfig;
  /** Attachment limits: per file, per conversation, per workspace, and the image pixel bound. */
  readonly attachments: AttachmentConfig;
  /** Replies by email, the SMTP listener for answers, DKIM. */
  readonly email: EmailConfig;
  /** Company sign-in through LDAP / Active Directory: plain LDAP, the re-check, timeouts. */
  readonly directory: DirectoryConfig;
  /** Where client certificates for API tokens come from: this node's TLS, a trusted proxy's header. */
  readonly clientCert: ClientCertConfig;
  /** Company sign-in through OpenID Connect: how often the providers are asked again. */
  readonly oidc: OidcConfig;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

type Source = Record<string, string | undefined>;

/** The settings table in README.md is generated from this list; keep them together. */
export const SETTINGS = {
  PARLEY_HOST: { default: '127.0.0.1', doc: 'Address to bind.' },
  PARLEY_PORT: { default: '8080', doc: 'Port to listen on.' },
  PARLEY_PUBLIC_URL: {
    default: 'http://<host>:<port>',
    doc: 'URL people and pages use to reach Parley; its origin is the only one trusted for the dashboard and the widget iframe.',
  },
  PARLEY_DATA_DIR: { default: './data', doc: 'Directory for the SQLite file and other local state.' },
  DATABASE_URL: { default: '(unset: SQLite)', doc: 'postgres://… to use PostgreSQL instead of SQLite.' },
  PARLEY_DATABASE_PREPARED: {
    default: 'on',
    doc: 'PostgreSQL: `on` runs statements as named prepared statements (parsed once per connection); `off` for a pooler in transaction mode that cannot keep them (PgBouncer before 1.21, or without max_prepared_statements).',
  },
  REDIS_URL: { default: '(unset: in-process)', doc: 'redis://… for pub/sub between several nodes.' },
  PARLEY_WORKERS: {
    default: '1',
    doc: 'Processes `parley start` runs on this machine, sharing its port (1–64, or `auto` for one per core); more than 1 needs DATABASE_URL and REDIS_URL. `parley start --workers N` overrides it.',
  },
  PARLEY_TLS_CERT: {
    default: '(unset)',
    doc: 'PEM certificate file; with PARLEY_TLS_KEY Parley serves HTTPS (TLS 1.2+).',
  },
  PARLEY_TLS_KEY: { default: '(unset)', doc: 'PEM private key file.' },
  PARLEY_TRUSTED_PROXIES: {
    default: '(unset)',
    doc: 'Comma-separated addresses or CIDR ranges of TLS-terminating proxies. Required to listen on a non-loopback address without TLS.',
  },
  PARLEY_HTTP_REDIRECT_PORT: {
    default: '(unset)',
    doc: 'Also listen here for plain HTTP that only redirects to the https:// public URL (301; 308 for other methods); other host names get 421.',
  },
  PARLEY_RATE_LIMITS: {
    default: '(unset)',
    doc: 'Per-endpoint request limits to change: name=requests/seconds, comma-separated (e.g. sign-in=100/60); names and defaults in docs/SECURITY.md.',
  },
  PARLEY_WS_CONNECTIONS_PER_IP: {
    default: '100',
    doc: 'Open WebSocket connections allowed per client address on each node; more are refused at the handshake (429).',
  },
  PARLEY_ADMIN_ALLOWED_IPS: {
    default: '(unset: any address)',
    doc: 'Comma-separated addresses or CIDR ranges (IPv4, IPv6); when set, the administration API and screens answer only to these addresses.',
  },
  PARLEY_SESSION_IDLE_MINUTES: { default: '30', doc: 'Agent session idle timeout.' },
  PARLEY_SESSION_ABSOLUTE_HOURS: { default: '12', doc: 'Agent session absolute timeout.' },
  PARLEY_VISITOR_IDLE_DAYS: { default: '30', doc: 'A visitor credential unused this long expires.' },
  PARLEY_VISITOR_ABSOLUTE_DAYS: {
    default: '180',
    doc: 'A visitor credential expires this long after it was first issued.',
  },
  PARLEY_PASSWORD_MIN_LENGTH: { default: '12', doc: 'Minimum password length (at least 8).' },
  PARLEY_SMTP_URL: {
    default: '(unset: outbox)',
    doc: 'smtp:// or smtps:// server for invitation and password-reset mail. Unset, mail goes to an outbox sealed under the master key ring: administrators read it in the dashboard (a password reset link only when it is their own), the host operator with `parley outbox`.',
  },
  PARLEY_MAIL_FROM: { default: 'Parley <parley@localhost>', doc: 'Sender address of the mail Parley sends.' },
  PARLEY_MFA_KEY: {
    default: '(unset)',
    doc: 'Deprecated. The key earlier versions sealed TOTP secrets with (otherwise mfa.key in PARLEY_DATA_DIR); read only at start, to move those secrets under the master key ring. Remove it once the start log or `parley keys status` reports none left.',
  },
  PARLEY_LOG_LEVEL: { default: 'info', doc: 'fatal, error, warn, info, debug, trace or silent.' },
  PARLEY_CONFIG_FILE: {
    default: '(unset)',
    doc: 'Optional JSON file with any of these keys; the environment wins.',
  },
  ...DATA_PROTECTION_SETTINGS,
  ...EXTERNAL_BOT_SETTINGS,
  ...OPERATIONS_SETTINGS,
  ...ATTACHMENT_SETTINGS,
  ...EMAIL_SETTINGS,
  ...DIRECTORY_SETTINGS,
  ...CALL_SETTINGS,
  ...CHANNEL_SETTINGS,
} as const;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** The process's environment with what a command's flags set (`parley start --workers N`). */
export function withEnvironment(overrides: Source): Source {
  return { ...process.env, ...overrides };
}

export function loadConfig(env: Source = process.env, cwd = process.cwd()): Config {
  const problems: string[] = [];
  const source = withFile(env, cwd, problems);
  // PARLEY_WORKER_SLOT is not a setting: `parley start --workers N` gives it to each worker it forks.
  const known = new Set([...Object.keys(SETTINGS), WORKER_SLOT]);
  for (const key of Object.keys(source)) {
    if (key.startsWith('PARLEY_') && !known.has(key)) problems.push(`${key} is not a Parley setting.`);
  }
  const get = (key: keyof typeof SETTINGS): string | undefined => {
    const v = source[key];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const int = (key: keyof typeof SETTINGS, min: number, max: number): number => {
    const raw = get(key) ?? SETTINGS[key].default;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${key} must be a whole number from ${min} to ${max} (got "${raw}").`);
      return min;
    }
    return n;
  };

  const host = get('PARLEY_HOST') ?? SETTINGS.PARLEY_HOST.default;
  if (isIP(host) === 0 && host !== 'localhost')
    problems.push(`PARLEY_HOST must be an IP address (got "${host}").`);
  const port = int('PARLEY_PORT', 0, 65535);
  const tlsCert = get('PARLEY_TLS_CERT');
  const tlsKey = get('PARLEY_TLS_KEY');
  if ((tlsCert === undefined) !== (tlsKey === undefined))
    problems.push('Set both PARLEY_TLS_CERT and PARLEY_TLS_KEY, or neither.');
  const tls = tlsCert && tlsKey ? { certFile: resolve(cwd, tlsCert), keyFile: resolve(cwd, tlsKey) } : null;
  for (const f of tls ? [tls.certFile, tls.keyFile] : []) {
    try {
      readFileSync(f);
    } catch {
      problems.push(`Cannot read TLS file ${f}.`);
    }
  }
  const trustedProxies = (get('PARLEY_TRUSTED_PROXIES') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  // Addresses or CIDR ranges (a pool of ingress proxies); Fastify's trustProxy takes both.
  parseAddressList('PARLEY_TRUSTED_PROXIES', trustedProxies.join(','), problems);
  if (!isLoopback(host) && !tls && trustedProxies.length === 0) {
    problems.push(
      `Refusing to listen on ${host} without TLS. Set PARLEY_TLS_CERT and PARLEY_TLS_KEY, or PARLEY_TRUSTED_PROXIES if a TLS proxy sits in front.`,
    );
  }

  const redirectRaw = get('PARLEY_HTTP_REDIRECT_PORT');
  const httpRedirectPort = redirectRaw === undefined ? null : int('PARLEY_HTTP_REDIRECT_PORT', 1, 65535);
  if (httpRedirectPort !== null && httpRedirectPort === port)
    problems.push('PARLEY_HTTP_REDIRECT_PORT must differ from PARLEY_PORT.');
  const adminRaw = get('PARLEY_ADMIN_ALLOWED_IPS');
  const adminAllowedIps =
    adminRaw === undefined ? null : parseAddressList('PARLEY_ADMIN_ALLOWED_IPS', adminRaw, problems);

  const scheme = tls ? 'https' : 'http';
  const urlHost = host.includes(':') ? `[${host}]` : host;
  // On this machine the default name is localhost, not 127.0.0.1: WebAuthn needs a host name, so
  // passkeys work out of the box only there.
  const loopbackDefault = !tls && ['127.0.0.1', '0.0.0.0', '[::1]'].includes(urlHost);
  const publicUrlRaw =
    get('PARLEY_PUBLIC_URL') ??
    `${scheme}://${loopbackDefault ? 'localhost' : urlHost === '0.0.0.0' ? '127.0.0.1' : urlHost}:${port}`;
  let publicUrl = publicUrlRaw;
  let publicOrigin = '';
  let publicHost = '';
  try {
    const u = new URL(publicUrlRaw);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
    if (u.pathname !== '/' || u.search || u.hash)
      problems.push('PARLEY_PUBLIC_URL must not have a path, query or fragment.');
    if (u.protocol === 'http:' && !isLoopback(u.hostname.replace(/^\[|\]$/g, '')))
      problems.push('PARLEY_PUBLIC_URL must be https:// unless it is a loopback address.');
    if (u.protocol === 'http:' && (tls || httpRedirectPort !== null))
      problems.push('PARLEY_PUBLIC_URL must be https:// when Parley serves TLS or redirects to HTTPS.');
    publicOrigin = u.origin;
    publicHost = u.host;
    publicUrl = u.origin;
  } catch {
    problems.push(`PARLEY_PUBLIC_URL must be an http(s) URL (got "${publicUrlRaw}").`);
  }

  const dataDir = resolve(cwd, get('PARLEY_DATA_DIR') ?? SETTINGS.PARLEY_DATA_DIR.default);
  const databaseUrl = get('DATABASE_URL');
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl))
    problems.push('DATABASE_URL must start with postgres://.');
  const prepared = get('PARLEY_DATABASE_PREPARED') ?? SETTINGS.PARLEY_DATABASE_PREPARED.default;
  if (prepared !== 'on' && prepared !== 'off')
    problems.push(`PARLEY_DATABASE_PREPARED must be on or off (got "${prepared}").`);
  const redisUrl = get('REDIS_URL') ?? null;
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl))
    problems.push('REDIS_URL must start with redis:// or rediss://.');

  const workers = readWorkers(get('PARLEY_WORKERS'), problems);
  const slot = Number(source[WORKER_SLOT]);
  const workerSlot = Number.isInteger(slot) && slot >= 1 && slot <= 64 ? slot : null;
  if (workers > 1 && (!databaseUrl || !redisUrl))
    problems.push(
      'PARLEY_WORKERS above 1 needs DATABASE_URL and REDIS_URL: the workers share PostgreSQL and talk through Redis (the embedded SQLite serves one process).',
    );

  const smtpUrl = get('PARLEY_SMTP_URL') ?? null;
  if (smtpUrl && !/^smtps?:\/\/[^/]/.test(smtpUrl))
    problems.push('PARLEY_SMTP_URL must start with smtp:// or smtps://.');
  const mailFrom = get('PARLEY_MAIL_FROM') ?? SETTINGS.PARLEY_MAIL_FROM.default;
  if (!/^[^\r\n]{3,200}$/.test(mailFrom) || !mailFrom.includes('@'))
    problems.push('PARLEY_MAIL_FROM must be one address such as "Support <support@example.com>".');

  const logLevel = (get('PARLEY_LOG_LEVEL') ?? 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel))
    problems.push(`PARLEY_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}.`);

  const mfaKey = get('PARLEY_MFA_KEY') ?? null;
  if (mfaKey !== null && !isBase64Key(mfaKey))
    problems.push('PARLEY_MFA_KEY must be 32 bytes in base64 (e.g. openssl rand -base64 32).');

  const config: Config = {
    host,
    port,
    publicUrl,
    publicOrigin,
    publicHost,
    dataDir,
    database: databaseUrl
      ? { kind: 'postgres', url: databaseUrl, preparedStatements: prepared !== 'off' }
      : { kind: 'sqlite', file: resolve(dataDir, 'parley.sqlite') },
    redisUrl,
    workers,
    workerSlot,
    tls,
    trustedProxies,
    httpRedirectPort,
    rateLimits: parseRateLimits(get('PARLEY_RATE_LIMITS'), problems),
    wsConnectionsPerIp: int('PARLEY_WS_CONNECTIONS_PER_IP', 1, 1_000_000),
    adminAllowedIps,
    sessionIdleMs: int('PARLEY_SESSION_IDLE_MINUTES', 1, 24 * 60) * 60_000,
    sessionAbsoluteMs: int('PARLEY_SESSION_ABSOLUTE_HOURS', 1, 24 * 30) * 3_600_000,
    visitorIdleMs: int('PARLEY_VISITOR_IDLE_DAYS', 1, 365) * 86_400_000,
    visitorAbsoluteMs: int('PARLEY_VISITOR_ABSOLUTE_DAYS', 1, 3650) * 86_400_000,
    passwordMinLength: int('PARLEY_PASSWORD_MIN_LENGTH', 8, 128),
    smtpUrl,
    mailFrom,
    mfaKey,
    logLevel,
    dataProtection: readDataProtection({ get, int, problems, dataDir, cwd, embedded: !databaseUrl }),
    externalBot: readExternalBot({ get, int, problems }),
    calls: readCalls({ get, int, problems }),
    channels: readChannels({ get, int, problems }),
    attachments: readAttachments({ get, int, problems }),
    email: readEmail({ get, int, problems, cwd, mainPort: port }),
    ...readDirectory({ get, int, problems }),
    ...readOperations({ get, int, problems, mainPort: port, redirectPort: httpRedirectPort, isLoopback }),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}

function withFile(env: Source, cwd: string, problems: string[]): Source {
  const file = env.PARLEY_CONFIG_FILE?.trim();
  if (!file) return { ...env };
  try {
    const parsed: unknown = JSON.parse(readFileSync(resolve(cwd, file), 'utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('not an object');
    const fromFile: Source = {};
    for (const [k, v] of Object.entries(parsed)) {
      if (typeof v === 'string' || typeof v === 'number') fromFile[k] = String(v);
      else problems.push(`${file}: ${k} must be a string or number.`);
    }
    return { ...fromFile, ...env };
  } catch (err) {
    problems.push(`PARLEY_CONFIG_FILE ${file} is not a readable JSON object (${(err as Error).message}).`);
    return { ...env };
  }
}

export const WORKER_SLOT = 'PARLEY_WORKER_SLOT';

/** `auto`: one worker per core the process may use. */
function readWorkers(raw: string | undefined, problems: string[]): number {
  if (raw === undefined) return 1;
  if (raw.trim() === 'auto') return Math.min(64, availableParallelism());
  if (!/^\d{1,2}$/.test(raw.trim()) || Number(raw) < 1 || Number(raw) > 64) {
    problems.push(`PARLEY_WORKERS must be a whole number from 1 to 64, or auto (got "${raw}").`);
    return 1;
  }
  return Number(raw);
}

function isBase64Key(value: string): boolean {
  return /^[A-Za-z0-9+/]{43}=$/.test(value) && Buffer.from(value, 'base64').length === 32;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
