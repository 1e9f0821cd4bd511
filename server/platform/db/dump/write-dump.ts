import { type AnyDb, DUMP_FORMAT, DUMP_VERSION, type DumpHeader, toDumpValue } from './dump-format.js';
import { appliedMigrations, listTables } from './schema-catalog.js';

const PAGE = 1000;

export interface ExtraRows {
  table: string;
  count(trx: AnyDb): Promise<number>;
  rows(trx: AnyDb): AsyncIterable<Record<string, unknown>>;
}

/**
 * Writes every row of the database as dump lines, all read inside one transaction, so the dump is one
 * consistent snapshot while Parley keeps running (SQLite WAL readers and PostgreSQL REPEATABLE READ
 * both see the database as of the transaction's first read).
 */
export async function writeDump(options: {
  db: AnyDb;
  dialect: 'sqlite' | 'postgres';
  write: (line: string) => Promise<void>;
  onProgress?: (done: number, total: number, table: string) => void;
  /** Tables left out (derived from the others: the search index); see listTables. */
  skip?: ReadonlySet<string>;
  /**
   * Rows of a table kept outside the database (attachment chunks in files, on SQLite), written after
   * the table's own rows and counted with them, read inside the same transaction.
   */
  extra?: ReadonlyArray<ExtraRows>;
}): Promise<DumpHeader> {
  const { db, dialect, write } = options;
  const run = async (trx: AnyDb) => {
    const tables = await listTables(trx, dialect, options.skip);
    const counted = [];
    for (const t of tables) {
      const row = await trx
        .selectFrom(t.name)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirst();
      const more = options.extra?.find((e) => e.table === t.name);
      counted.push({ ...t, rows: Number(row?.n ?? 0) + (more ? await more.count(trx) : 0) });
    }
    const header: DumpHeader = {
      format: DUMP_FORMAT,
      version: DUMP_VERSION,
      createdAt: new Date().toISOString(),
      dialect,
      migrations: await appliedMigrations(trx),
      tables: counted.map(({ name, columns, rows }) => ({ name, columns, rows })),
    };
    await write(JSON.stringify(header));
    const total = counted.reduce((n, t) => n + t.rows, 0);
    let done = 0;
    for (const t of counted) {
      options.onProgress?.(done, total, t.name);
      let last: unknown;
      for (let offset = 0; ; offset += PAGE) {
        let q = trx.selectFrom(t.name).select(t.columns);
        if (t.key) {
          if (last !== undefined) q = q.where(t.key, '>', last);
          q = q.orderBy(t.key).limit(PAGE);
        } else {
          q = q
            .orderBy(t.columns[0] as string)
            .limit(PAGE)
            .offset(offset);
        }
        const rows = await q.execute();
        for (const row of rows) {
          await write(JSON.stringify({ t: t.name, v: t.columns.map((c) => toDumpValue(row[c])) }));
        }
        done += rows.length;
        options.onProgress?.(done, total, t.name);
        if (rows.length < PAGE) break;
        if (t.key) last = rows[rows.length - 1]?.[t.key];
      }
      for (const more of options.extra?.filter((e) => e.table === t.name) ?? []) {
        for await (const row of more.rows(trx)) {
          await write(JSON.stringify({ t: t.name, v: t.columns.map((c) => toDumpValue(row[c])) }));
          done += 1;
        }
        options.onProgress?.(done, total, t.name);
      }
    }
    await write(JSON.stringify({ end: true, rows: done }));
    return header;
  };
  if (dialect === 'postgres') {
    return db.transaction().setIsolationLevel('repeatable read').execute(run);
  }
  return db.transaction().execute(run);
}
