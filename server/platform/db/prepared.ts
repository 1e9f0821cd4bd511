import type { Compilable, CompiledQuery, DatabaseConnection, QueryResult } from 'kysely';
import type { Db, Executor } from './schema.js';

/** Marks where an argument goes when the query is compiled with placeholders instead of values. */
const HOLE = '\u0000parley-arg:';

type Slot = number | { value: unknown };

/**
 * A query built and compiled once per dialect; each run only binds its arguments. Kysely otherwise
 * rebuilds and recompiles the query on every call, which on the message path cost more than the
 * database running it. `build` receives placeholders in place of the arguments and must use each
 * one as a plain value (in `where`, `set`, `values`), never to decide the query's shape.
 */
export function prepared<Args extends unknown[], Row>(
  arity: Args['length'],
  build: (db: Executor, ...args: Args) => Compilable<Row>,
): (db: Executor, ...args: Args) => Promise<QueryResult<Row>> {
  const compiledFor = new Map<unknown, { query: CompiledQuery<Row>; slots: Slot[] }>();
  return (db, ...args) => {
    const dialect = db.getExecutor().adapter.constructor;
    let entry = compiledFor.get(dialect);
    if (!entry) {
      const holes = Array.from({ length: arity }, (_, i) => `${HOLE}${i}`) as Args;
      const query = build(db, ...holes).compile();
      const slots = query.parameters.map(
        (p): Slot =>
          typeof p === 'string' && p.startsWith(HOLE) ? Number(p.slice(HOLE.length)) : { value: p },
      );
      entry = { query, slots };
      compiledFor.set(dialect, entry);
    }
    const parameters = entry.slots.map((s) => (typeof s === 'number' ? args[s] : s.value));
    const query: CompiledQuery<Row> = { ...entry.query, parameters };
    const executor = db.getExecutor();
    if (executor.plugins.length > 0) return db.executeQuery<Row>(query);
    // With no plugin to transform the result, the statement goes straight to the connection: Kysely's
    // own way clones its executor and chains five promises around every statement.
    const connection = directConnections.get(db);
    if (connection) return connection.executeQuery<Row>(query);
    try {
      return executor.provideConnection((c) => c.executeQuery<Row>(query));
    } catch (error) {
      // A transaction that has ended refuses at once: a rejection, as from any other statement.
      return Promise.reject(error);
    }
  };
}

/** The connection of each transaction open in `directTransaction`, while it is open. */
const directConnections = new WeakMap<Executor, DatabaseConnection>();

/**
 * A transaction whose prepared statements run on its connection directly: the message's own
 * transaction (post-message.ts), the hottest path there is. Its statements must run one after
 * another, as a transaction's do anyway; Kysely's builder queries in it take the usual way.
 */
export function directTransaction<T>(db: Db, run: (trx: Executor) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    directConnections.set(trx, await trx.getExecutor().provideConnection(async (c) => c));
    try {
      return await run(trx);
    } finally {
      directConnections.delete(trx);
    }
  });
}
