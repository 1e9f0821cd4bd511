/**
 * Whether an error means the database cannot be reached right now (a restart, a failover, a
 * terminated backend, a full or locked SQLite file) rather than a fault in the request: such a
 * failure is answered `service_unavailable`, and a client may retry the same request (the same
 * client id) once the database is back.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    // PostgreSQL: admin shutdown, crash shutdown, cannot connect now; class 08 is connection errors.
    if (code === '57P01' || code === '57P02' || code === '57P03' || code.startsWith('08')) return true;
    if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH'].includes(code)) return true;
    // SQLite: another writer holds the lock past the timeout, an I/O error, a full disk.
    if (/^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN)/.test(code)) return true;
  }
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
    err.message,
  );
}
