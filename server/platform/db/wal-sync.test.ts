import { fdatasync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GroupCommitSqliteDialect } from './group-commit-driver.js';
import { WalCheckpoints } from './wal-checkpoints.js';
import { WalSync } from './wal-sync.js';

type Items = { items: { id?: number; name: string } };

/**
 * The commit's fsync runs in the thread pool. Here the real fdatasync is held back until the test
 * lets it go, to look inside the window between a commit and its sync: the writer is not answered
 * until the sync, and a failed sync fails the writers it covered.
 */
describe('WAL sync off the event loop', () => {
  let dir: string;
  let file: string;
  let db: Kysely<Items>;
  let other: SqliteDatabase.Database;
  const held: Array<() => void> = [];
  let failNext = false;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-walsync-'));
    file = join(dir, 'db.sqlite');
    const writer = new SqliteDatabase(file);
    writer.pragma('journal_mode = WAL');
    writer.pragma('synchronous = NORMAL');
    const reader = new SqliteDatabase(file);
    reader.pragma('query_only = ON');
    const sync = new WalSync(`${file}-wal`, (fd, done) => {
      const fail = failNext;
      failNext = false;
      held.push(() =>
        fail ? done(Object.assign(new Error('EIO: i/o error'), { code: 'EIO' })) : fdatasync(fd, done),
      );
    });
    db = new Kysely<Items>({
      dialect: new GroupCommitSqliteDialect(writer, reader, sync, new WalCheckpoints(file)),
    });
    // The DDL's own commit waits for its sync like any other.
    await Promise.all([
      sql`create table items (id integer primary key, name text not null)`.execute(db),
      letSyncsGo(),
    ]);
    other = new SqliteDatabase(file, { readonly: true });
  });
  afterEach(async () => {
    other.close();
    const closing = db.destroy();
    await letSyncsGo();
    await closing;
    rmSync(dir, { recursive: true, force: true });
  });

  async function letSyncsGo(): Promise<void> {
    for (let i = 0; i < 20; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      while (held.length > 0) held.shift()?.();
    }
  }
  const turns = (n: number) =>
    (async () => {
      for (let i = 0; i < n; i += 1) await new Promise((resolve) => setImmediate(resolve));
    })();

  it('answers a writer only after the sync; reads see the commit, never what is not committed', async () => {
    let written = false;
    const write = db
      .insertInto('items')
      .values({ name: 'a' })
      .execute()
      .then(() => {
        written = true;
      });
    await turns(5);
    // Committed (readers see it), but its sync is held: the writer is not answered yet.
    expect(other.prepare('select count(*) as n from items').get()).toEqual({ n: 1 });
    expect(await db.selectFrom('items').select('name').execute()).toEqual([{ name: 'a' }]);
    expect(held.length).toBe(1);
    await turns(5);
    expect(written).toBe(false);
    await letSyncsGo();
    await write;
    expect(written).toBe(true);
  });

  it('fails every writer a failed sync covered, and serves again after it', async () => {
    failNext = true;
    const outcomes = Promise.allSettled([
      db.insertInto('items').values({ name: 'b' }).execute(),
      db.insertInto('items').values({ name: 'c' }).execute(),
    ]);
    await letSyncsGo();
    expect((await outcomes).map((o) => o.status)).toEqual(['rejected', 'rejected']);
    const next = db.insertInto('items').values({ name: 'd' }).execute();
    await letSyncsGo();
    await next;
    expect(other.prepare("select count(*) as n from items where name = 'd'").get()).toEqual({ n: 1 });
  });
});
