import { createHash } from 'node:crypto';
import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import type pg from 'pg';

/**
 * Statements with more parameters than this run unnamed: they are the batch INSERTs and `IN` lists
 * whose text changes with their length, which would leave a prepared statement on the server for
 * every length.
 */
const MAX_NAMED_PARAMETERS = 32;
/** Distinct SQL texts whose names are remembered (names are recomputed past it, not lost). */
const MAX_REMEMBERED = 2000;
/** The code PostgreSQL gives "cached plan must not change result type" (a table changed under it). */
const FEATURE_NOT_SUPPORTED = '0A000';

/**
 * The pool Kysely sees on PostgreSQL: a statement with parameters runs as a named prepared statement,
 * so each connection parses and analyses a statement once and PostgreSQL may keep its plan, instead
 * of doing both for every send (node-postgres otherwise sends every query unnamed). A message's
 * handful of statements spent more of the database server's CPU in parsing and planning than in
 * running. The name is a digest of the text (128 bits): equal texts share it, different texts never
 * meet on one.
 *
 * A migration run by another node (a rolling upgrade) can change a table under a statement prepared
 * here; PostgreSQL then refuses it ("cached plan must not change result type"). That query fails
 * once, and its connection is closed rather than reused, so the next one prepares afresh.
 */
export function namedStatementPool(pool: pg.Pool): PostgresPool {
  const names = new Map<string, string>();
  const nameOf = (text: string) => {
    let name = names.get(text);
    if (name === undefined) {
      if (names.size >= MAX_REMEMBERED) names.clear();
      name = `parley_${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
      names.set(text, name);
    }
    return name;
  };
  return {
    async connect() {
      const client = await pool.connect();
      let stale = false;
      const named: PostgresPoolClient = {
        query<R>(query: string | PostgresCursor<R>, parameters?: ReadonlyArray<unknown>) {
          if (typeof query !== 'string') return client.query(query as never) as never;
          const values = [...(parameters ?? [])];
          if (values.length === 0 || values.length > MAX_NAMED_PARAMETERS)
            return client.query(query, values) as unknown as Promise<PostgresQueryResult<R>>;
          return client.query({ name: nameOf(query), text: query, values }).catch((error: unknown) => {
            if ((error as { code?: string }).code === FEATURE_NOT_SUPPORTED) stale = true;
            throw error;
          }) as unknown as Promise<PostgresQueryResult<R>>;
        },
        release() {
          client.release(stale || undefined);
        },
      } as PostgresPoolClient;
      return named;
    },
    end: () => pool.end(),
  };
}
