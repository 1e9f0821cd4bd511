import type { Executor } from '../../platform/db/schema.js';
import type { TotpCredentialsTable } from '../../platform/db/schema-mfa.js';

export function findTotp(db: Executor, userId: string) {
  return db.selectFrom('totp_credentials').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

/** A new setup replaces an unconfirmed one; a confirmed one is never replaced here. */
export async function replacePendingTotp(db: Executor, row: TotpCredentialsTable): Promise<void> {
  await db
    .deleteFrom('totp_credentials')
    .where('user_id', '=', row.user_id)
    .where('confirmed_at', 'is', null)
    .execute();
  await db.insertInto('totp_credentials').values(row).execute();
}

export async function confirmTotp(db: Executor, id: string, at: string, step: number): Promise<boolean> {
  const result = await db
    .updateTable('totp_credentials')
    .set({ confirmed_at: at, last_used_step: step })
    .where('id', '=', id)
    .where('confirmed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Records `step` as used only if it is later than the last accepted one. One conditional UPDATE, so
 * two requests racing with the same code cannot both win.
 */
export async function advanceTotpStep(db: Executor, id: string, step: number): Promise<boolean> {
  const result = await db
    .updateTable('totp_credentials')
    .set({ last_used_step: step })
    .where('id', '=', id)
    .where('confirmed_at', 'is not', null)
    .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', step)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function deleteTotp(db: Executor, userId: string): Promise<void> {
  await db.deleteFrom('totp_credentials').where('user_id', '=', userId).execute();
}

/** Every stored TOTP secret, confirmed or pending. */
export function listTotpSecrets(db: Executor) {
  return db.selectFrom('totp_credentials').select(['id', 'user_id', 'secret_sealed']).orderBy('id').execute();
}

/** Replaces a sealed secret only if it is still the one read (not removed or re-enrolled meanwhile). */
export async function replaceTotpSecret(
  db: Executor,
  id: string,
  from: string,
  to: string,
): Promise<boolean> {
  const r = await db
    .updateTable('totp_credentials')
    .set({ secret_sealed: to })
    .where('id', '=', id)
    .where('secret_sealed', '=', from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
