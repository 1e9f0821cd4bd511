import type { Executor } from '../../platform/db/schema.js';
import type {
  DirectoriesTable,
  DirectoryAccountsTable,
  DirectoryRoleMappingsTable,
} from '../../platform/db/schema-directory.js';

export function findDirectoryByDomain(db: Executor, domain: string) {
  return db.selectFrom('directories').selectAll().where('email_domain', '=', domain).executeTakeFirst();
}

export function findDirectoryOfWorkspace(db: Executor, workspaceId: string) {
  return db.selectFrom('directories').selectAll().where('workspace_id', '=', workspaceId).executeTakeFirst();
}

export function findDirectoryById(db: Executor, id: string) {
  return db.selectFrom('directories').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertDirectory(db: Executor, row: DirectoriesTable): Promise<void> {
  await db.insertInto('directories').values(row).execute();
}

export async function updateDirectory(
  db: Executor,
  id: string,
  patch: Omit<DirectoriesTable, 'id' | 'workspace_id' | 'created_at'>,
): Promise<void> {
  await db.updateTable('directories').set(patch).where('id', '=', id).execute();
}

export function listMappings(db: Executor, directoryId: string) {
  return db
    .selectFrom('directory_role_mappings')
    .selectAll()
    .where('directory_id', '=', directoryId)
    .orderBy('group_dn')
    .execute();
}

export async function replaceMappings(
  db: Executor,
  directoryId: string,
  rows: DirectoryRoleMappingsTable[],
): Promise<void> {
  await db.deleteFrom('directory_role_mappings').where('directory_id', '=', directoryId).execute();
  if (rows.length > 0) await db.insertInto('directory_role_mappings').values(rows).execute();
}

export function findDirectoryAccount(db: Executor, userId: string) {
  return db.selectFrom('directory_accounts').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

export async function upsertDirectoryAccount(db: Executor, row: DirectoryAccountsTable): Promise<void> {
  await db
    .insertInto('directory_accounts')
    .values(row)
    .onConflict((oc) =>
      oc
        .column('user_id')
        .doUpdateSet({ directory_id: row.directory_id, dn: row.dn, checked_at: row.checked_at }),
    )
    .execute();
}

/** Directory-backed accounts that have a session still live: the ones the re-check looks up. */
export function listAccountsWithLiveSessions(db: Executor, now: string, afterUserId: string, limit: number) {
  return db
    .selectFrom('directory_accounts')
    .innerJoin('directories', 'directories.id', 'directory_accounts.directory_id')
    .select([
      'directory_accounts.user_id as userId',
      'directory_accounts.workspace_id as workspaceId',
      'directory_accounts.dn as dn',
      'directory_accounts.directory_id as directoryId',
    ])
    .where('directory_accounts.user_id', '>', afterUserId)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('sessions')
          .select('sessions.id')
          .whereRef('sessions.user_id', '=', 'directory_accounts.user_id')
          .where('sessions.revoked_at', 'is', null)
          .where('sessions.expires_at', '>', now),
      ),
    )
    .orderBy('directory_accounts.user_id')
    .limit(limit)
    .execute();
}

export async function markChecked(db: Executor, userId: string, at: string): Promise<void> {
  await db.updateTable('directory_accounts').set({ checked_at: at }).where('user_id', '=', userId).execute();
}

export function listSealedBindPasswords(db: Executor) {
  return db.selectFrom('directories').select(['id', 'bind_password']).orderBy('id').execute();
}

/** Replaces only the value read, so a concurrent save is never overwritten by an older password. */
export async function replaceBindPassword(
  db: Executor,
  id: string,
  from: string,
  to: string,
): Promise<boolean> {
  const result = await db
    .updateTable('directories')
    .set({ bind_password: to })
    .where('id', '=', id)
    .where('bind_password', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Directory links of members deleted since: their users row is gone, so is the link. */
export async function deleteOrphanAccounts(db: Executor): Promise<void> {
  await db
    .deleteFrom('directory_accounts')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb.selectFrom('users').select('users.id').whereRef('users.id', '=', 'directory_accounts.user_id'),
        ),
      ),
    )
    .execute();
}
