import {
  type AnyDb,
  type AnyTrx,
  DUMP_FORMAT,
  DUMP_VERSION,
  DumpError,
  type DumpHeader,
  type DumpLine,
  fromDumpValue,
} from './dump-format.js';
import { appliedMigrations, listTables } from './schema-catalog.js';

/** Rows per INSERT, kept well under both databases' limits on bound parameters. */
const PARAMS_PER_INSERT = 4000;

/**
 * Loads a dump in one transaction: any error (a damaged or truncated file, a row that does not fit)
 * rolls everything back and leaves the database as it was. `replace` first deletes every row;
 * otherwise the database must hold no data yet. `finish` runs inside the same transaction at the end.
 */
export async function loadDump(options: {
  db: AnyDb;
  dialect: 'sqlite' | 'postgres';
  lines: AsyncIterable<string>;
  replace: boolean;
  onProgress?: (done: number, total: number, table: string) => void;
  /** Tables left out (derived from the others: the search index); see listTables. */
  skip?: ReadonlySet<string>;
  finish?: (trx: AnyTrx, header: DumpHeader) => Promise<void>;
}): Promise<{ header: DumpHeader; rows: number }> {
  const { db, dialect } = options;
  const iterator = options.lines[Symbol.asyncIterator]();
  const first = await iterator.next();
  const header = parseHeader(first.done ? undefined : first.value);
  const tables = await listTables(db, dialect, options.skip);
  const mine = await appliedMigrations(db);
  if (header.migrations.join('\n') !== mine.join('\n')) {
    throw new DumpError(
      `The file was written by a Parley at schema ${header.migrations.at(-1) ?? 'none'}; this one is at ${
        mine.at(-1) ?? 'none'
      }. Load it with the Parley version that wrote it, then upgrade.`,
    );
  }
  const known = new Map(tables.map((t) => [t.name, new Set(t.columns)]));
  for (const t of header.tables) {
    const cols = known.get(t.name);
    if (!cols || t.columns.some((c) => !cols.has(c)))
      throw new DumpError(`The file's table ${t.name} does not match this database's schema.`);
  }
  const total = header.tables.reduce((n, t) => n + t.rows, 0);
  const columnsOf = new Map(header.tables.map((t) => [t.name, t.columns]));

  const rows = await db.transaction().execute(async (trx) => {
    const nonEmpty = [];
    for (const t of tables) {
      const r = await trx
        .selectFrom(t.name)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirst();
      if (Number(r?.n ?? 0) > 0) nonEmpty.push(t.name);
    }
    if (nonEmpty.length > 0) {
      if (!options.replace)
        throw new DumpError(
          `The target database already holds data (${nonEmpty.join(', ')}); import needs an empty one.`,
        );
      for (const t of [...tables].reverse()) await trx.deleteFrom(t.name).execute();
    }
    let done = 0;
    let batch: { table: string; rows: Record<string, unknown>[] } | null = null;
    const flush = async () => {
      if (!batch || batch.rows.length === 0) return;
      await trx.insertInto(batch.table).values(batch.rows).execute();
      done += batch.rows.length;
      options.onProgress?.(done, total, batch.table);
      batch = null;
    };
    let ended: number | null = null;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      if (!next.value.trim()) continue;
      if (ended !== null) throw new DumpError('The file has data after its end marker.');
      const line = JSON.parse(next.value) as DumpLine;
      if ('end' in line) {
        ended = line.rows;
        continue;
      }
      const columns = columnsOf.get(line.t);
      if (!columns || line.v.length !== columns.length)
        throw new DumpError(`A row of ${line.t} does not match the header.`);
      const row = Object.fromEntries(columns.map((c, i) => [c, fromDumpValue(line.v[i] ?? null, dialect)]));
      const current: { table: string; rows: Record<string, unknown>[] } | null = batch;
      if (!current || current.table !== line.t) {
        await flush();
        batch = { table: line.t, rows: [row] };
      } else {
        current.rows.push(row);
        if (current.rows.length * columns.length >= PARAMS_PER_INSERT) await flush();
      }
    }
    await flush();
    if (ended === null || ended !== done || done !== total)
      throw new DumpError('The file is incomplete: it ends before all its rows (was it cut short?).');
    await options.finish?.(trx, header);
    return done;
  });
  return { header, rows };
}

function parseHeader(line: string | undefined): DumpHeader {
  try {
    const header = JSON.parse(line ?? '') as DumpHeader;
    if (header.format === DUMP_FORMAT && header.version === DUMP_VERSION && Array.isArray(header.tables))
      return header;
  } catch {
    // fall through
  }
  throw new DumpError('This is not a Parley dump (its first line is not a Parley dump header).');
}
