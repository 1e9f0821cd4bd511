import { SEARCH_INDEX_TABLES } from '../../server/modules/search/rebuild-after-load.js';
import type { AnyDb } from '../../server/platform/db/dump/dump-format.js';
import { toDumpValue } from '../../server/platform/db/dump/dump-format.js';
import { listTables } from '../../server/platform/db/dump/schema-catalog.js';

/**
 * Every row of every table a dump holds (not the search index, which a load rebuilds), each as JSON of
 * its columns in order, sorted: two databases compare equal.
 */
export async function allRows(db: AnyDb, dialect: 'sqlite' | 'postgres'): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const t of await listTables(db, dialect, SEARCH_INDEX_TABLES)) {
    const rows = await db.selectFrom(t.name).select(t.columns).execute();
    out[t.name] = rows.map((r) => JSON.stringify(t.columns.map((c) => toDumpValue(r[c])))).sort();
  }
  return out;
}

export function rowCount(rows: Record<string, string[]>): number {
  return Object.values(rows).reduce((n, r) => n + r.length, 0);
}

/**
 * The rows without the schedulers' leases: a running server's jobs take and release them on their
 * own clock, so two snapshots of a live database can differ there and nowhere else.
 */
export function userData(rows: Record<string, string[]>): Record<string, string[]> {
  const { scheduler_leases: _leases, ...rest } = rows;
  return rest;
}
