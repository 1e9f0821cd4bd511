import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDb, type DbHandle } from './create-db.js';
import { WRITER_AUTOCHECKPOINT_PAGES } from './wal-checkpoints.js';

type Items = { items: { id?: number; body: string } };

/**
 * The WAL is copied into the database file by a worker thread, not by the commit that crosses
 * SQLite's threshold on the event loop: with far fewer pages written than the writer's own
 * threshold, the rows still reach the database file.
 */
describe('WAL checkpoints off the event loop', () => {
  let dir: string;
  let file: string;
  let handle: DbHandle;
  const db = () => handle.db as unknown as Kysely<Items>;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-checkpoint-'));
    file = join(dir, 'db.sqlite');
    handle = createDb({ kind: 'sqlite', file });
    await sql`create table items (id integer primary key, body text not null)`.execute(handle.db);
  });
  afterEach(async () => {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies committed pages into the database file from the worker', async () => {
    // About 500 pages of 4 KiB, in several commits: a twentieth of the writer's own threshold.
    const body = 'x'.repeat(2000);
    for (let batch = 0; batch < 10; batch += 1)
      await Promise.all(
        Array.from({ length: 100 }, () => db().insertInto('items').values({ body }).execute()),
      );
    const pagesWritten = Math.ceil((1000 * body.length) / 4096);
    expect(pagesWritten).toBeLessThan(WRITER_AUTOCHECKPOINT_PAGES / 10);
    // Before any checkpoint the database file holds only the schema's pages.
    for (let i = 0; i < 400 && statSync(file).size < 1_000_000; i += 1)
      await new Promise((resolve) => setTimeout(resolve, 25));
    expect(statSync(file).size).toBeGreaterThan(1_000_000);
    // Every committed row is there for another connection.
    const reader = new SqliteDatabase(file, { readonly: true });
    try {
      expect(reader.prepare('select count(*) as n from items').get()).toEqual({ n: 1000 });
    } finally {
      reader.close();
    }
  });
});
