import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type DbHandle } from './create-db.js';
import { prepared } from './prepared.js';
import type { Executor } from './schema.js';

describe('prepared queries', () => {
  let dir: string;
  let handle: DbHandle;
  type Items = { items: { id: string; a: number; b: string; c: string } };
  const typed = (db: Executor) => db as unknown as Kysely<Items>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-prepared-'));
    handle = createDb({ kind: 'sqlite', file: join(dir, 'db.sqlite') });
    await sql`create table items (id text primary key, a integer, b text, c text)`.execute(handle.db);
  });
  afterAll(async () => {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('binds each run’s arguments where the placeholders were, keeping the query’s own constants', async () => {
    const upsert = prepared(2, (db, id: string, text: string) =>
      typed(db)
        .insertInto('items')
        .values({ id, a: 7, b: text, c: text })
        .onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({ a: eb('items.a', '+', 1), c: id }))),
    );
    const find = prepared(1, (db, id: string) =>
      typed(db).selectFrom('items').selectAll().where('id', '=', id),
    );
    await upsert(handle.db, 'x', 'first');
    await upsert(handle.db, 'y', 'second');
    const again = await upsert(handle.db, 'x', 'ignored');
    expect(Number(again.numAffectedRows)).toBe(1);
    expect((await find(handle.db, 'x')).rows).toEqual([{ id: 'x', a: 8, b: 'first', c: 'x' }]);
    expect((await find(handle.db, 'y')).rows).toEqual([{ id: 'y', a: 7, b: 'second', c: 'second' }]);
    expect((await find(handle.db, 'z')).rows).toEqual([]);
  });
});
