import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CamelCasePlugin, type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type DbHandle } from './create-db.js';
import { directTransaction, prepared } from './prepared.js';
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

  it('runs on the transaction’s connection: its reads see its writes, and a rollback takes them back', async () => {
    const insert = prepared(2, (db, id: string, b: string) =>
      typed(db).insertInto('items').values({ id, a: 1, b, c: b }),
    );
    const find = prepared(1, (db, id: string) =>
      typed(db).selectFrom('items').select('b').where('id', '=', id),
    );
    await expect(
      handle.db.transaction().execute(async (trx) => {
        await insert(trx, 'in-tx', 'uncommitted');
        expect((await find(trx, 'in-tx')).rows).toEqual([{ b: 'uncommitted' }]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect((await find(handle.db, 'in-tx')).rows).toEqual([]);
    await handle.db.transaction().execute((trx) => insert(trx, 'kept', 'committed'));
    expect((await find(handle.db, 'kept')).rows).toEqual([{ b: 'committed' }]);
  });

  it('still hands the result to the plugins of an executor that has some', async () => {
    await sql`create table camel_items (item_id text primary key, item_label text)`.execute(handle.db);
    type Camel = { camelItems: { itemId: string; itemLabel: string } };
    const camel = (handle.db as unknown as Kysely<Camel>).withPlugin(new CamelCasePlugin());
    const insert = prepared(2, (db, id: string, label: string) =>
      (db as unknown as Kysely<Camel>).insertInto('camelItems').values({ itemId: id, itemLabel: label }),
    );
    const find = prepared(1, (db, id: string) =>
      (db as unknown as Kysely<Camel>).selectFrom('camelItems').selectAll().where('itemId', '=', id),
    );
    await insert(camel as unknown as Executor, 'c1', 'shown');
    expect((await find(camel as unknown as Executor, 'c1')).rows).toEqual([
      { itemId: 'c1', itemLabel: 'shown' },
    ]);
  });

  it('runs a direct transaction’s statements on its connection, and refuses them once it has ended', async () => {
    const insert = prepared(2, (db, id: string, b: string) =>
      typed(db).insertInto('items').values({ id, a: 1, b, c: b }),
    );
    const find = prepared(1, (db, id: string) =>
      typed(db).selectFrom('items').select('b').where('id', '=', id),
    );
    await expect(
      directTransaction(handle.db, async (trx) => {
        await insert(trx, 'direct-rolled', 'uncommitted');
        expect((await find(trx, 'direct-rolled')).rows).toEqual([{ b: 'uncommitted' }]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect((await find(handle.db, 'direct-rolled')).rows).toEqual([]);
    let ended: Executor | undefined;
    const answer = await directTransaction(handle.db, async (trx) => {
      ended = trx;
      await insert(trx, 'direct-kept', 'committed');
      // A builder query in the same transaction sees the direct statement's write.
      return typed(trx).selectFrom('items').select('b').where('id', '=', 'direct-kept').executeTakeFirst();
    });
    expect(answer).toEqual({ b: 'committed' });
    expect((await find(handle.db, 'direct-kept')).rows).toEqual([{ b: 'committed' }]);
    await expect(find(ended as Executor, 'direct-kept')).rejects.toThrow(/committed/);
  });
});
