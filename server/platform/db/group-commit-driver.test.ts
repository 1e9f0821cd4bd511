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

  it('answers a transaction that read a write of its group only once that write is committed, even when it fails', async () => {
    const original = db().insertInto('items').values({ name: 'original' }).execute();
    // A resend in the same group finds the original (uncommitted) and is refused as its duplicate:
    // what it read must not leave before the original's commit.
    const refused = db()
      .transaction()
      .execute(async (trx) => {
        const row = await trx
          .selectFrom('items')
          .select('name')
          .where('name', '=', 'original')
          .executeTakeFirst();
        throw Object.assign(new Error('duplicate'), { row });
      })
      .catch((e: { row?: { name: string } }) => ({
        saw: e.row?.name,
        committedWhenAnswered: committed('original').n,
      }));
    await original;
    expect(await refused).toEqual({ saw: 'original', committedWhenAnswered: 1 });
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

  it('never lets a read outside a transaction see a write before its commit, even one whose commit fails', async () => {
    // A deferred foreign key is checked only at commit: this write is taken, then its group fails.
    await sql`create table parents (id integer primary key)`.execute(handle.db);
    await sql`create table children (id integer primary key, parent integer references parents(id) deferrable initially deferred)`.execute(
      handle.db,
    );
    const kids = handle.db as unknown as import('kysely').Kysely<{
      children: { id: number; parent: number };
    }>;
    const write = kids.insertInto('children').values({ id: 1, parent: 99 }).execute();
    // The write is in the open group now; a read in the same turn must not hand it out.
    const read = kids.selectFrom('children').selectAll().execute();
    await expect(write).rejects.toThrow(/FOREIGN KEY/);
    expect(await read).toEqual([]);
    expect(await kids.selectFrom('children').selectAll().execute()).toEqual([]);
  });

  it('answers a read at once while a transaction holds the writer, from committed data', async () => {
    await db().insertInto('items').values({ name: 'committed' }).execute();
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    const trx = db()
      .transaction()
      .execute(async (t) => {
        await t.insertInto('items').values({ name: 'pending' }).execute();
        await held;
      });
    await new Promise((r) => setImmediate(r));
    const names = (await db().selectFrom('items').select('name').execute()).map((r) => r.name);
    expect(names).toEqual(['committed']);
    release();
    await trx;
    const after = (await db().selectFrom('items').select('name').orderBy('name').execute()).map(
      (r) => r.name,
    );
    expect(after).toEqual(['committed', 'pending']);
  });

  it('waits for another connection that holds the write lock without blocking the event loop', async () => {
    const writer = new SqliteDatabase(join(dir, 'db.sqlite'));
    writer.pragma('busy_timeout = 5000');
    writer.exec('begin immediate');
    writer.prepare('insert into items (name) values (?)').run('theirs');
    const ticks: number[] = [];
    const timer = setInterval(() => ticks.push(Date.now()), 5);
    const mine = db().insertInto('items').values({ name: 'mine' }).execute();
    // SQLite's own busy wait would block this thread until the lock came free; the driver waits
    // asynchronously, so timers keep firing while the other connection holds the lock.
    await expect.poll(() => ticks.length).toBeGreaterThan(5);
    expect(committed('mine').n).toBe(0);
    writer.exec('commit');
    writer.close();
    await mine;
    clearInterval(timer);
    expect(committed('mine').n).toBe(1);
    expect(committed('theirs').n).toBe(1);
    // Later statements wait as long as before: the no-wait setting is only for taking the lock.
    await db().insertInto('items').values({ name: 'after' }).execute();
    expect(committed('after').n).toBe(1);
    const { rows } = await sql<{ timeout: number }>`pragma busy_timeout`.execute(handle.db);
    expect(rows).toEqual([{ timeout: 5000 }]);
  });

  it('still waits without blocking after groups have followed each other', async () => {
    // The no-wait setting is kept across back-to-back groups and restored outside them: a group
    // taken after others, and after a statement outside any group, must not block the event loop.
    for (const name of ['one', 'two']) await db().insertInto('items').values({ name }).execute();
    await sql`pragma busy_timeout`.execute(handle.db);
    await db().insertInto('items').values({ name: 'three' }).execute();
    const writer = new SqliteDatabase(join(dir, 'db.sqlite'));
    writer.exec('begin immediate');
    const ticks: number[] = [];
    const timer = setInterval(() => ticks.push(Date.now()), 5);
    const mine = db().insertInto('items').values({ name: 'mine' }).execute();
    await expect.poll(() => ticks.length).toBeGreaterThan(5);
    writer.exec('commit');
    writer.close();
    await mine;
    clearInterval(timer);
    expect(committed('mine').n).toBe(1);
  });
});
