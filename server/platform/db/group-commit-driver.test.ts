import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDb, type DbHandle } from './create-db.js';

/**
 * Group commit on SQLite: concurrent writes share a commit, yet each caller hears "done" only once
 * its write is durable and visible to other connections, and a transaction that fails undoes only
 * its own writes.
 */
describe('SQLite group commit', () => {
  let dir: string;
  let handle: DbHandle;
  let other: SqliteDatabase.Database;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-group-'));
    const file = join(dir, 'db.sqlite');
    handle = createDb({ kind: 'sqlite', file });
    await sql`create table items (id integer primary key, name text not null unique)`.execute(handle.db);
    other = new SqliteDatabase(file, { readonly: true });
  });
  afterEach(async () => {
    other.close();
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const db = () => handle.db as unknown as import('kysely').Kysely<{ items: { id?: number; name: string } }>;
  const committed = (name: string) =>
    other.prepare('select count(*) as n from items where name = ?').get(name) as { n: number };

  it('resolves each write only when another connection can read it', async () => {
    const seen: number[] = [];
    await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        db()
          .insertInto('items')
          .values({ name: `item ${i}` })
          .execute()
          .then(() => seen.push(committed(`item ${i}`).n)),
      ),
    );
    expect(seen).toEqual(Array(60).fill(1));
  });

  it('undoes a failed transaction alone; the writes beside it in the same commit stay', async () => {
    const outcomes = await Promise.allSettled([
      db().insertInto('items').values({ name: 'before' }).execute(),
      db()
        .transaction()
        .execute(async (trx) => {
          await trx.insertInto('items').values({ name: 'inside' }).execute();
          throw new Error('changed my mind');
        }),
      db().insertInto('items').values({ name: 'before' }).execute(), // unique: this one fails alone
      db()
        .transaction()
        .execute(async (trx) => {
          await trx.insertInto('items').values({ name: 'kept' }).execute();
        }),
      db().insertInto('items').values({ name: 'after' }).execute(),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual([
      'fulfilled',
      'rejected',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    const names = (
      other.prepare('select name from items order by name').all() as Array<{ name: string }>
    ).map((r) => r.name);
    expect(names).toEqual(['after', 'before', 'kept']);
  });

  it('lets two handles on one file in one process write in turn instead of locking each other out', async () => {
    const second = createDb({ kind: 'sqlite', file: join(dir, 'db.sqlite') });
    try {
      const db2 = second.db as unknown as ReturnType<typeof db>;
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 ? db() : db2)
            .insertInto('items')
            .values({ name: `n${i}` })
            .execute(),
        ),
      );
      expect(committed('n19').n + committed('n0').n).toBe(2);
      expect((other.prepare('select count(*) as n from items').get() as { n: number }).n).toBe(20);
    } finally {
      await second.close();
    }
  });
});
