import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { Client, InvalidCredentialsError } from 'ldapts';
import { AppError } from '../../errors.js';

/** How to reach one directory: what `directories` holds, with the search password opened. */
export interface DirectoryEndpoint {
  url: string;
  startTls: boolean;
  caPem: string | null;
  timeoutMs: number;
}

/** Why a connection step failed, in words an administrator can act on (never a secret). */
export type ConnectionFailure = 'unreachable' | 'tls' | 'service_bind' | 'search';

export class DirectoryError extends Error {
  constructor(
    readonly step: ConnectionFailure,
    readonly detail: string,
  ) {
    super(`${step}: ${detail}`);
  }
}

function tlsOptions(endpoint: DirectoryEndpoint): ConnectionOptions {
  const host = new URL(endpoint.url).hostname.replace(/^\[|\]$/g, '');
  return {
    minVersion: 'TLSv1.2',
    // The directory's own CA when given; otherwise Node's trusted CAs. Never unverified.
    ...(endpoint.caPem ? { ca: [endpoint.caPem] } : {}),
    rejectUnauthorized: true,
    // StartTLS upgrades an existing socket: without `host` Node would check the certificate against
    // "localhost", not the directory's name. SNI only for names (RFC 6066 forbids addresses).
    host,
    ...(isIP(host) === 0 ? { servername: host } : {}),
  };
}

/**
 * An encrypted connection to the directory: ldaps:// verified against the CA, or ldap:// upgraded
 * with StartTLS before anything else is sent. Plain ldap:// only when the directory was saved with it
 * (the setting PARLEY_LDAP_ALLOW_PLAIN decides that at save time).
 */
export async function openConnection(endpoint: DirectoryEndpoint): Promise<Client> {
  const secure = endpoint.url.startsWith('ldaps://');
  const client = new Client({
    url: endpoint.url,
    timeout: endpoint.timeoutMs,
    connectTimeout: endpoint.timeoutMs,
    ...(secure ? { tlsOptions: tlsOptions(endpoint) } : {}),
    strictDN: false,
  });
  if (!secure && endpoint.startTls) {
    try {
      await client.startTLS(tlsOptions(endpoint));
    } catch (err) {
      await client.unbind().catch(() => undefined);
      throw classify(err, 'tls');
    }
  }
  return client;
}

/** Binds as `dn`; false for wrong credentials, a DirectoryError when the directory cannot answer. */
export async function tryBind(client: Client, dn: string, password: string): Promise<boolean> {
  // An empty password is an "unauthenticated bind" that many servers accept as anonymous success.
  if (password.length === 0) return false;
  try {
    await client.bind(dn, password);
    return true;
  } catch (err) {
    if (err instanceof InvalidCredentialsError) return false;
    throw classify(err, 'service_bind');
  }
}

/** Sorts a low-level failure into a step, keeping only the error's kind and message. */
export function classify(err: unknown, fallback: ConnectionFailure): DirectoryError {
  if (err instanceof DirectoryError) return err;
  const e = err as NodeJS.ErrnoException & { code?: unknown };
  const message = String(e?.message ?? err);
  if (
    typeof e?.code === 'string' &&
    /^(ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|ECONNRESET)$/.test(e.code)
  )
    return new DirectoryError('unreachable', e.code);
  if (/timeout|timed out/i.test(message)) return new DirectoryError('unreachable', 'timed out');
  if (/certificate|self.signed|SSL|TLS|altname|verify/i.test(message))
    return new DirectoryError('tls', message);
  return new DirectoryError(fallback, message);
}

/** The sign-in answer when the directory cannot be asked: no password is judged against nothing. */
export function unavailable(): AppError {
  return new AppError('directory_unavailable');
}

export async function closeConnection(client: Client): Promise<void> {
  await client.unbind().catch(() => undefined);
}
