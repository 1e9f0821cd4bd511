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

  const insertItem = prepared(2, (db, id: string, b: string) =>
    typed(db).insertInto('items').values({ id, a: 1, b, c: b }),
  );
  const findB = prepared(1, (db, id: string) =>
    typed(db).selectFrom('items').select('b').where('id', '=', id),
  );
  type Run = <T>(run: (trx: Executor) => Promise<T>) => Promise<T>;
  const kysely: Run = (run) => handle.db.transaction().execute(run);
  const direct: Run = (run) => directTransaction(handle.db, run);

  it.each([
    ['Kysely’s', 'k', kysely],
    ['a direct', 'd', direct],
  ] as const)(
    'runs on %s transaction’s connection: it sees its writes, a rollback takes them back',
    async (_, id, transaction) => {
      await expect(
        transaction(async (trx) => {
          await insertItem(trx, `${id}-rolled`, 'uncommitted');
          expect((await findB(trx, `${id}-rolled`)).rows).toEqual([{ b: 'uncommitted' }]);
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      expect((await findB(handle.db, `${id}-rolled`)).rows).toEqual([]);
      await transaction((trx) => insertItem(trx, `${id}-kept`, 'committed'));
      expect((await findB(handle.db, `${id}-kept`)).rows).toEqual([{ b: 'committed' }]);
    },
  );

  it('shares a direct transaction with its builder queries, and refuses its statements once it has ended', async () => {
    let ended: Executor | undefined;
    const answer = await direct(async (trx) => {
      ended = trx;
      await insertItem(trx, 'shared', 'written');
      return typed(trx).selectFrom('items').select('b').where('id', '=', 'shared').executeTakeFirst();
    });
    expect(answer).toEqual({ b: 'written' });
    await expect(findB(ended as Executor, 'shared')).rejects.toThrow(/committed/);
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
});
