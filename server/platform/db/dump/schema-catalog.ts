import { sql } from 'kysely';
import type { AnyDb } from './dump-format.js';

export interface TableInfo {
  name: string;
  columns: string[];
  /** The primary key when it is one column (pages are read in its order), else null. */
  key: string | null;
}

const BOOKKEEPING = new Set(['kysely_migration', 'kysely_migration_lock']);

/**
 * Every data table of the database with its columns, parents before children (foreign keys), read
 * from the database itself so tables added by any migration are included without a list to keep.
 * `skip` leaves out tables derived from the others (the search index), which a load rebuilds.
 */
export async function listTables(
  db: AnyDb,
  dialect: 'sqlite' | 'postgres',
  skip: ReadonlySet<string> = new Set(),
): Promise<TableInfo[]> {
  const names = (
    dialect === 'sqlite'
      ? // Ordinary tables only: an FTS5 table and its shadow tables are an index, not data.
        await sql<{ name: string }>`SELECT name FROM pragma_table_list
          WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%'`.execute(db)
      : await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables
          WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`.execute(db)
  ).rows
    .map((r) => r.name)
    .filter((n) => !BOOKKEEPING.has(n) && !skip.has(n))
    .sort();
  const tables = new Map<string, TableInfo & { parents: Set<string> }>();
  for (const name of names) {
    const { columns, key } = await columnsOf(db, dialect, name);
    tables.set(name, { name, columns, key, parents: await parentsOf(db, dialect, name) });
  }
  const ordered: TableInfo[] = [];
  const seen = new Set<string>();
  const visit = (name: string, path: Set<string>) => {
    if (seen.has(name) || path.has(name)) return;
    const t = tables.get(name);
    if (!t) return;
    path.add(name);
    for (const p of [...t.parents].sort()) if (p !== name) visit(p, path);
    path.delete(name);
    seen.add(name);
    ordered.push({ name: t.name, columns: t.columns, key: t.key });
  };
  for (const name of names) visit(name, new Set());
  return ordered;
}

export async function appliedMigrations(db: AnyDb): Promise<string[]> {
  const rows = await db.selectFrom('kysely_migration').select('name').orderBy('name').execute();
  return rows.map((r) => String(r.name));
}

async function columnsOf(db: AnyDb, dialect: 'sqlite' | 'postgres', table: string) {
  if (dialect === 'sqlite') {
    const rows = (
      await sql<{
        name: string;
        pk: number;
      }>`SELECT name, pk FROM pragma_table_info(${table}) ORDER BY cid`.execute(db)
    ).rows;
    const pk = rows.filter((r) => r.pk > 0);
    return { columns: rows.map((r) => r.name), key: pk.length === 1 ? (pk[0]?.name ?? null) : null };
  }
  // pg_catalog, not information_schema: the latter's views filter every schema on the server by
  // privilege and take a good fraction of a second per call on a busy database.
  const cols = (
    await sql<{ name: string }>`SELECT a.attname AS name FROM pg_attribute a
      WHERE a.attrelid = to_regclass(quote_ident(current_schema()) || '.' || quote_ident(${table}))
        AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`.execute(db)
  ).rows;
  const pk = (
    await sql<{ name: string }>`SELECT a.attname AS name FROM pg_index i
      JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
      WHERE i.indrelid = to_regclass(quote_ident(current_schema()) || '.' || quote_ident(${table}))
        AND i.indisprimary`.execute(db)
  ).rows;
  return { columns: cols.map((r) => r.name), key: pk.length === 1 ? (pk[0]?.name ?? null) : null };
}

async function parentsOf(db: AnyDb, dialect: 'sqlite' | 'postgres', table: string): Promise<Set<string>> {
  const rows =
    dialect === 'sqlite'
      ? (
          await sql<{
            parent: string;
          }>`SELECT "table" AS parent FROM pragma_foreign_key_list(${table})`.execute(db)
        ).rows
      : (
          await sql<{
            parent: string;
          }>`SELECT DISTINCT p.relname AS parent FROM pg_constraint c
            JOIN pg_class p ON p.oid = c.confrelid
            WHERE c.contype = 'f'
              AND c.conrelid = to_regclass(quote_ident(current_schema()) || '.' || quote_ident(${table}))`.execute(
            db,
          )
        ).rows;
  return new Set(rows.map((r) => r.parent));
}
