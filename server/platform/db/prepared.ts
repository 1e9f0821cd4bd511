import type { Compilable, CompiledQuery, DatabaseConnection, QueryResult } from 'kysely';
import { dialectOf } from './dialect.js';
import { commitGroupsOf, soloTransaction } from './pg-commit-groups.js';
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
/** The writes issued with `issueWrite` in each transaction open in `directTransaction`. */
const unawaitedWrites = new WeakMap<Executor, Array<Promise<unknown>>>();

/**
 * A transaction whose prepared statements run on its connection directly: the message's own
 * transaction (post-message.ts), the hottest path there is. Its statements must run one after
 * another, as a transaction's do anyway; Kysely's builder queries in it take the usual way. Writes
 * issued in it with `issueWrite` on PostgreSQL are settled after its commit, before it returns, and
 * the first of them that failed is what it throws. On PostgreSQL it is a member of a commit group
 * (pg-commit-groups.ts): sends that arrive together share one commit; SQLite's driver groups every
 * write (group-commit-driver.ts).
 */
export async function directTransaction<T>(
  db: Db,
  run: (trx: Executor) => Promise<T>,
  /** What orders the transaction against others: its conversation's id (the commit group's lane). */
  key = '',
): Promise<T> {
  // SQLite runs a statement in the process, with no round trip to save: there each is awaited.
  if (dialectOf(db) !== 'postgres') return soloTransaction(db, (trx, c) => onConnection(trx, c, null, run));
  return commitGroupsOf(db, key).run((trx, c, writes) => onConnection(trx, c, writes, run));
}

async function onConnection<T>(
  trx: Executor,
  connection: DatabaseConnection,
  writes: Array<Promise<unknown>> | null,
  run: (trx: Executor) => Promise<T>,
): Promise<T> {
  directConnections.set(trx, connection);
  if (writes) unawaitedWrites.set(trx, writes);
  try {
    return await run(trx);
  } finally {
    directConnections.delete(trx);
    unawaitedWrites.delete(trx);
  }
}

/**
 * Issues a prepared write whose result the transaction does not read before its commit. In a
 * `directTransaction` on PostgreSQL it goes to the connection at once and is not waited for:
 * node-postgres writes each query as it is issued (pipeline mode, create-db.ts), so the write, the
 * statements after it and the commit share round trips, and the server runs them in order. `done`
 * is its result, settled by the time the transaction has returned, and a failure fails the
 * transaction. On SQLite, and in any other transaction, the write has run when this resolves.
 * `statement` must come from `prepared`: only those reach the connection in the same turn as this
 * call, before anything issued after it (Kysely's builder queries queue behind the transaction's
 * previous statement, and the commit would not wait for them).
 */
export async function issueWrite<Args extends unknown[], Row>(
  trx: Executor,
  statement: (db: Executor, ...args: Args) => Promise<QueryResult<Row>>,
  ...args: Args
): Promise<{ done: Promise<QueryResult<Row>> }> {
  const done = statement(trx, ...args);
  const writes = unawaitedWrites.get(trx);
  if (!writes) {
    await done;
    return { done };
  }
  done.catch(() => undefined);
  writes.push(done);
  return { done };
}
