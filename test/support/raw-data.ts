import { existsSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { POSTGRES_URL } from './services.js';
import type { TestDatabase } from './test-server.js';

/**
 * Which of `needles` appear in the stored bytes: for SQLite the database file and its WAL, read as
 * bytes (UTF-8 and UTF-16, in case); for PostgreSQL every row of every table of the test's schema,
 * as PostgreSQL prints it.
 */
export async function rawOccurrences(database: TestDatabase, needles: string[]): Promise<string[]> {
  if (database.database.kind === 'sqlite') {
    const file = database.database.file;
    const blobs = [file, `${file}-wal`, `${file}-journal`]
      .filter((f) => existsSync(f))
      .map((f) => readFileSync(f));
    return needles.filter((needle) =>
      blobs.some(
        (b) => b.includes(Buffer.from(needle, 'utf8')) || b.includes(Buffer.from(needle, 'utf16le')),
      ),
    );
  }
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1`,
      [database.schema],
    );
    let text = '';
    for (const { table_name } of tables.rows) {
      const rows = await client.query<{ row: string }>(
        `SELECT t::text AS row FROM ${database.schema}.${table_name} t`,
      );
      text += rows.rows.map((r) => r.row).join('\n');
    }
    return needles.filter((needle) => text.includes(needle));
  } finally {
    await client.end();
  }
}
