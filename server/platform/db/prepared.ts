import type { Compilable, CompiledQuery, QueryResult } from 'kysely';
import type { Executor } from './schema.js';

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
    return db.executeQuery<Row>({ ...entry.query, parameters });
  };
}
