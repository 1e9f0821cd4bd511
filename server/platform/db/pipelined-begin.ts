import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';

/** What Kysely sends to open a transaction with default settings (PostgresDriver.beginTransaction). */
const BEGIN = 'begin';

/**
 * A transaction's BEGIN goes out with its first statement, in one write, instead of costing a round
 * trip of its own: on PostgreSQL a message's send is a handful of round trips, and this is one of
 * them. node-postgres in pipeline mode (create-db.ts) writes each query as soon as it is issued, each
 * with its own Sync, and the server answers them in order. Here `begin` is issued and not waited for;
 * the next query on the connection resolves only once both have answered, so a failed BEGIN fails
 * that statement's caller and Kysely rolls the transaction back as after any failure. (BEGIN fails
 * only with its connection, and then the statement behind it fails as well.)
 */
export function pipelinedBegin(pool: PostgresPool): PostgresPool {
  return {
    async connect() {
      const client = await pool.connect();
      let begun: Promise<unknown> | null = null;
      const connection = {
        query<R>(query: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> {
          if (typeof query !== 'string') return client.query(query) as never;
          if (query === BEGIN && parameters.length === 0 && begun === null) {
            begun = client.query(query, parameters);
            // Observed here so that a failure is never unhandled; the next query reports it.
            begun.catch(() => undefined);
            return Promise.resolve({ command: 'BEGIN', rowCount: 0, rows: [] } as never);
          }
          const result = client.query<R>(query, parameters);
          if (begun === null) return result;
          const before = begun;
          begun = null;
          result.catch(() => undefined);
          return before.then(() => result);
        },
        release() {
          begun = null;
          client.release();
        },
      } as PostgresPoolClient;
      return connection;
    },
    end: () => pool.end(),
  };
}
