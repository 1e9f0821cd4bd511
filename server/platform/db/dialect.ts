import { type Kysely, SqliteAdapter } from 'kysely';

/** Which database a handle talks to, for the few statements the two dialects write differently. */
// biome-ignore lint/suspicious/noExplicitAny: any database's handle (migrations see Kysely<any>)
export function dialectOf(db: Kysely<any>): 'sqlite' | 'postgres' {
  return db.getExecutor().adapter instanceof SqliteAdapter ? 'sqlite' : 'postgres';
}
