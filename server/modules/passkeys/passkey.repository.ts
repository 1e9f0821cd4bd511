import type { Executor } from '../../platform/db/schema.js';
import type { PasskeysTable } from '../../platform/db/schema-mfa.js';

export async function insertPasskey(db: Executor, row: PasskeysTable): Promise<void> {
  await db.insertInto('passkeys').values(row).execute();
}

export function listUserPasskeys(db: Executor, userId: string) {
  return db
    .selectFrom('passkeys')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .execute();
}

export async function countUserPasskeys(db: Executor, userId: string): Promise<number> {
  const row = await db
    .selectFrom('passkeys')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function findUserPasskey(db: Executor, userId: string, id: string) {
  return db
    .selectFrom('passkeys')
    .selectAll()
    .where('user_id', '=', userId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function findPasskeyByCredentialId(db: Executor, credentialId: string) {
  return db.selectFrom('passkeys').selectAll().where('credential_id', '=', credentialId).executeTakeFirst();
}

/** The person a passkey signs in: their account and their membership of the passkey's workspace. */
export function findPasskeyOwner(db: Executor, passkeyId: string) {
  return db
    .selectFrom('passkeys')
    .innerJoin('users', 'users.id', 'passkeys.user_id')
    .innerJoin('memberships', (j) =>
      j
        .onRef('memberships.user_id', '=', 'users.id')
        .onRef('memberships.workspace_id', '=', 'passkeys.workspace_id'),
    )
    .select([
      'users.id as userId',
      'users.workspace_id as workspaceId',
      'users.name as name',
      'users.email as email',
      'users.disabled_at as disabledAt',
      'memberships.role as role',
    ])
    .where('passkeys.id', '=', passkeyId)
    .executeTakeFirst();
}

/** Records a use; the counter only moves forward (a clone of the authenticator shows as a step back). */
export async function recordPasskeyUse(
  db: Executor,
  id: string,
  use: { counter: number; backedUp: boolean; at: string },
): Promise<void> {
  await db
    .updateTable('passkeys')
    .set({ counter: use.counter, backed_up: use.backedUp ? 1 : 0, last_used_at: use.at })
    .where('id', '=', id)
    .execute();
}

export async function renameUserPasskey(db: Executor, userId: string, id: string, name: string) {
  const result = await db
    .updateTable('passkeys')
    .set({ name })
    .where('user_id', '=', userId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function deleteUserPasskey(db: Executor, userId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('passkeys')
    .where('user_id', '=', userId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}
