import type { ApiTokensTable, Executor } from '../../platform/db/schema.js';

export async function insertApiToken(db: Executor, row: ApiTokensTable): Promise<void> {
  await db.insertInto('api_tokens').values(row).execute();
}

export function findApiTokenByPublicId(db: Executor, publicId: string) {
  return db.selectFrom('api_tokens').selectAll().where('public_id', '=', publicId).executeTakeFirst();
}

export function findApiTokenInWorkspace(db: Executor, workspaceId: string, id: string) {
  return db
    .selectFrom('api_tokens')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function listApiTokensInWorkspace(db: Executor, workspaceId: string) {
  return db
    .selectFrom('api_tokens')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
}

/** Revokes only if still live, and says whether it did, so a revocation is recorded once. */
export async function revokeApiTokenRow(db: Executor, id: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Writes last-used only if it is older than `staleBefore`: one write a minute, whatever the traffic. */
export async function touchApiTokenRow(db: Executor, id: string, at: string, staleBefore: string) {
  await db
    .updateTable('api_tokens')
    .set({ last_used_at: at })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', staleBefore)]))
    .execute();
}

export async function setApiTokenBinding(
  db: Executor,
  id: string,
  binding: Pick<ApiTokensTable, 'client_cert_sha256' | 'client_ca_pem'>,
): Promise<void> {
  await db.updateTable('api_tokens').set(binding).where('id', '=', id).execute();
}
