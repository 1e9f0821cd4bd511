import type { Database as SqliteDatabase, Statement } from 'better-sqlite3';

/** Distinct SQL texts kept prepared; Parley issues a few hundred, so this is rarely reached. */
const MAX_STATEMENTS = 1000;

/**
 * The better-sqlite3 handle Kysely sees: `prepare` returns the statement already prepared for this
 * SQL text instead of compiling it again (Kysely prepares on every query). A statement still being
 * iterated is busy and cannot run twice, so that case gets a fresh one.
 */
export function withStatementCache(sqlite: SqliteDatabase): Pick<SqliteDatabase, 'prepare' | 'close'> {
  const statements = new Map<string, Statement>();
  return {
    prepare(source: string) {
      const cached = statements.get(source);
      if (cached && !cached.busy) return cached;
      const statement = sqlite.prepare(source);
      if (cached) return statement;
      if (statements.size >= MAX_STATEMENTS) statements.clear();
      statements.set(source, statement);
      return statement;
    },
    close() {
      statements.clear();
      return sqlite.close();
    },
  } as Pick<SqliteDatabase, 'prepare' | 'close'>;
}
