import type { Writable } from 'node:stream';
import type pg from 'pg';
import { corkForThisTurn } from '../cork.js';

/**
 * Queries issued on a connection in one turn of the event loop leave in one write. node-postgres
 * writes each query as it is issued (pipeline mode, create-db.ts), and a send issues several
 * together: a commit group member's savepoint, its statement, the writes nobody waits for and its
 * release (pg-commit-groups.ts). Each write is a system call, which on loopback also does the
 * receiving end's TCP work: a quarter of a PostgreSQL node's CPU profile under load is in them, and
 * this halves their number (PERFORMANCE.md). The socket is corked at the first query of a turn and
 * uncorked once the turn's promise callbacks have run, so no query waits past the callbacks that
 * issued it (cork.ts, `after-callbacks`).
 */
export function batchWrites(client: pg.PoolClient): void {
  const stream = (client as unknown as { connection?: { stream?: Writable } }).connection?.stream;
  if (!stream || typeof stream.cork !== 'function') return;
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    corkForThisTurn(stream, 'after-callbacks');
    return query(...args);
  };
}
