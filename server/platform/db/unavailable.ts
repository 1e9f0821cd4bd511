/**
 * Tells a database that is away (or a disk that cannot take a write) from a bug. Such a failure is
 * not the request's fault and not Parley's: it answers `service_unavailable` (503 with Retry-After)
 * and clears by itself once the database is back, so the client retries later. Everything else stays
 * an internal error, logged with a reference.
 */

/** PostgreSQL SQLSTATEs of a server that is going away, starting, or out of connections. */
const PG_UNAVAILABLE = new Set([
  '57P01', // admin_shutdown: the backend was terminated
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or in recovery
  '53300', // too_many_connections
]);

/** Socket-level failures on the way to the database server. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * What node-postgres and its pool say when the connection is lost, cannot be made in time, or the
 * pool was emptied by a lost server (they carry no code).
 */
const PG_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect$/,
  /^Client has encountered a connection error and is not queryable$/,
  /^Client was closed and is not queryable$/,
  /^Connection terminated due to connection timeout$/,
];

/**
 * SQLite result codes (better-sqlite3 reports extended ones, e.g. SQLITE_IOERR_WRITE): the write lock
 * held elsewhere past the wait, a failing disk, a full disk. In each case nothing was committed and
 * nothing was acknowledged.
 */
const SQLITE_UNAVAILABLE = /^SQLITE_(BUSY|IOERR|FULL|CANTOPEN|PROTOCOL|NOLFS)(_|$)/;

export function isDatabaseUnavailable(err: unknown): boolean {
  return matches(err, 0);
}

/** A full disk: said plainly in the log, since no retry helps until space is freed. */
export function isStorageFull(err: unknown): boolean {
  return codeOf(err)?.startsWith('SQLITE_FULL') === true || codeOf(err) === '53100';
}

function matches(err: unknown, depth: number): boolean {
  if (typeof err !== 'object' || err === null || depth > 4) return false;
  const code = codeOf(err);
  if (code !== undefined) {
    if (PG_UNAVAILABLE.has(code) || code.startsWith('08') || code === '53100') return true;
    if (NETWORK_CODES.has(code) || SQLITE_UNAVAILABLE.test(code)) return true;
  }
  const message = (err as { message?: unknown }).message;
  if (typeof message === 'string' && PG_MESSAGES.some((m) => m.test(message))) return true;
  // node-postgres reports a host with several addresses as one AggregateError; errors may wrap a cause.
  const inner = (err as { errors?: unknown }).errors;
  if (Array.isArray(inner) && inner.length > 0 && inner.every((e) => matches(e, depth + 1))) return true;
  return matches((err as { cause?: unknown }).cause, depth + 1);
}

function codeOf(err: unknown): string | undefined {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}
