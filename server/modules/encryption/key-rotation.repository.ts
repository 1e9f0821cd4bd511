import type { Executor } from '../../platform/db/schema.js';
import type { KeyRotationsTable } from '../../platform/db/schema-data-protection.js';

export function findUnfinishedRotation(db: Executor) {
  return db
    .selectFrom('key_rotations')
    .selectAll()
    .where('finished_at', 'is', null)
    .orderBy('started_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function insertRotation(db: Executor, row: KeyRotationsTable): Promise<void> {
  await db.insertInto('key_rotations').values(row).execute();
}

export async function addRewrapped(db: Executor, id: string, n: number): Promise<void> {
  await db
    .updateTable('key_rotations')
    .set((eb) => ({ rewrapped: eb('rewrapped', '+', n) }))
    .where('id', '=', id)
    .execute();
}

export async function finishRotation(db: Executor, id: string, at: string): Promise<void> {
  await db.updateTable('key_rotations').set({ finished_at: at }).where('id', '=', id).execute();
}

/** Rotations that were interrupted and are superseded by one towards another key. */
export async function finishRotationsNotTowards(db: Executor, kekId: string, at: string): Promise<void> {
  await db
    .updateTable('key_rotations')
    .set({ finished_at: at })
    .where('finished_at', 'is', null)
    .where('target_kek_id', '!=', kekId)
    .execute();
}

export async function countKeysNotUnder(db: Executor, kekId: string): Promise<number> {
  const row = await db
    .selectFrom('data_keys')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('kek_id', '!=', kekId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
