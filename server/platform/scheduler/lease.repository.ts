import type { Executor } from '../db/schema.js';

export async function ensureLeaseRow(db: Executor, name: string): Promise<void> {
  await db
    .insertInto('scheduler_leases')
    .values({
      name,
      workspace_id: '*',
      holder: null,
      expires_at: new Date(0).toISOString(),
      last_run_at: null,
    })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
}

/**
 * Takes (or renews) the lease if it is free, expired, or already ours. One conditional UPDATE: on
 * PostgreSQL a concurrent one waits for the first to commit and then re-checks the condition, so
 * exactly one node wins.
 */
export async function claimLease(
  db: Executor,
  o: { name: string; holder: string; now: string; expiresAt: string },
): Promise<boolean> {
  const result = await db
    .updateTable('scheduler_leases')
    .set({ holder: o.holder, expires_at: o.expiresAt })
    .where('name', '=', o.name)
    .where((eb) => eb.or([eb('holder', '=', o.holder), eb('expires_at', '<=', o.now)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function releaseLease(
  db: Executor,
  o: { name: string; holder: string; now: string; ranAt: string | null },
): Promise<void> {
  await db
    .updateTable('scheduler_leases')
    .set({ holder: null, expires_at: o.now, ...(o.ranAt ? { last_run_at: o.ranAt } : {}) })
    .where('name', '=', o.name)
    .where('holder', '=', o.holder)
    .execute();
}

export function findLease(db: Executor, name: string) {
  return db.selectFrom('scheduler_leases').selectAll().where('name', '=', name).executeTakeFirst();
}
