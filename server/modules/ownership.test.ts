import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-server.js';
import type { DbHandle } from '../platform/db/create-db.js';
import { migrateToLatest } from '../platform/db/migrate.js';

const ROOT = new URL('../../', import.meta.url).pathname;
/** Writers allowed outside a table's owner, each with its reason (docs/ARCHITECTURE.md). */
const EXCEPTIONS: Record<string, string> = {
  'server/modules/encryption/legacy.repository.ts': 're-seals legacy plaintext rows of every table',
};

/** The module map of docs/ARCHITECTURE.md: table → owning module (or platform part). */
/** Tables only PostgreSQL has (SQLite keeps the search index in FTS5: search_docs, search_fts). */
const POSTGRES_ONLY = new Set(['search_term_sets']);

function ownersFromDocs(): Map<string, string> {
  const doc = readFileSync(join(ROOT, 'docs/ARCHITECTURE.md'), 'utf8');
  const owners = new Map<string, string>();
  for (const line of doc.split('\n')) {
    const m = /^\| `([a-z/-]+?)\/?` \| ([^|]*) \|/.exec(line);
    if (!m) continue;
    for (const table of (m[2] ?? '').split(',').map((t) => t.trim())) {
      if (!table || table === '—') continue;
      if (owners.has(table)) throw new Error(`${table} has two owners in docs/ARCHITECTURE.md`);
      owners.set(table, m[1] as string);
    }
  }
  return owners;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The module (or platform part) a source file belongs to, as the map names them. */
function ownerOfFile(path: string): string {
  const rel = relative(join(ROOT, 'server'), path).split('/');
  return rel[0] === 'modules' ? (rel[1] as string) : `${rel[0]}/${rel[1]}`;
}

describe('modules own their tables', () => {
  let database: TestDatabase;
  let db: DbHandle;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    db = database.open();
    await migrateToLatest(db.db);
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  it('gives every table of the schema exactly one owner in docs/ARCHITECTURE.md', async () => {
    const owners = ownersFromDocs();
    const tables =
      // Ordinary and virtual tables (FTS5's shadow tables belong to their virtual table).
      (
        await sql<{ name: string }>`SELECT name FROM pragma_table_list WHERE schema = 'main'
        AND type IN ('table', 'virtual') AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'kysely_%'`.execute(
          db.db,
        )
      ).rows.map((r) => r.name);
    expect(tables.filter((t) => !owners.has(t)).sort(), 'tables without an owner').toEqual([]);
    expect(
      [...owners.keys()].filter((t) => !tables.includes(t) && !POSTGRES_ONLY.has(t)).sort(),
      'owners of no table',
    ).toEqual([]);
  });

  it('writes a table only in its owner (insert, update, delete)', () => {
    const owners = ownersFromDocs();
    const writes = /\b(?:insertInto|updateTable|deleteFrom)\(\s*'([a-z_]+)/g;
    const failures: string[] = [];
    for (const file of [
      ...sourceFiles(join(ROOT, 'server/modules')),
      ...sourceFiles(join(ROOT, 'server/platform')),
    ]) {
      const rel = relative(ROOT, file);
      if (EXCEPTIONS[rel]) continue;
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(writes)) {
        const table = m[1] as string;
        const owner = owners.get(table);
        if (owner !== ownerOfFile(file))
          failures.push(`${rel} writes ${table} (owned by ${owner ?? 'nobody'})`);
      }
    }
    expect(failures).toEqual([]);
  });
});
