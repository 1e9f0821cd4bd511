import type { Executor } from '../../platform/db/schema.js';

export async function replaceRecoveryCodes(
  db: Executor,
  owner: { workspaceId: string; userId: string },
  rows: Array<{ id: string; codeHash: string }>,
  at: string,
): Promise<void> {
  await db.deleteFrom('recovery_codes').where('user_id', '=', owner.userId).execute();
  await db
    .insertInto('recovery_codes')
    .values(
      rows.map((r) => ({
        id: r.id,
        workspace_id: owner.workspaceId,
        user_id: owner.userId,
        code_hash: r.codeHash,
        used_at: null,
        created_at: at,
      })),
    )
    .execute();
}

/** Marks the code used if it is this user's and unused: a conditional UPDATE, so it works once. */
export async function spendRecoveryCode(
  db: Executor,
  userId: string,
  codeHash: string,
  at: string,
): Promise<boolean> {
  const result = await db
    .updateTable('recovery_codes')
    .set({ used_at: at })
    .where('user_id', '=', userId)
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function countUnusedRecoveryCodes(db: Executor, userId: string): Promise<number> {
  const row = await db
    .selectFrom('recovery_codes')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function deleteRecoveryCodes(db: Executor, userId: string): Promise<void> {
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
}
