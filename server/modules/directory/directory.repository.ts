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
