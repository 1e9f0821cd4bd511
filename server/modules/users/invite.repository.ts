import type { Executor, InvitesTable } from '../../platform/db/schema.js';

export async function insertInvite(db: Executor, row: InvitesTable): Promise<void> {
  await db.insertInto('invites').values(row).execute();
}

export function listInvites(db: Executor, workspaceId: string) {
  return db
    .selectFrom('invites')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('created_at', 'desc')
    .limit(200)
    .execute();
}

/** Revokes open invitations: one (by id) or all for an email address. Returns how many. */
export async function revokeInvites(
  db: Executor,
  workspaceId: string,
  by: { id: string } | { email: string },
  at: string,
): Promise<number> {
  let q = db
    .updateTable('invites')
    .set({ revoked_at: at })
    .where('workspace_id', '=', workspaceId)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null);
  q = 'id' in by ? q.where('id', '=', by.id) : q.where('email', '=', by.email);
  const result = await q.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Marks the invitation used, once: a second accept of the same link finds nothing. */
export function claimInvite(db: Executor, tokenHash: string, now: string) {
  return db
    .updateTable('invites')
    .set({ accepted_at: now })
    .where('token_hash', '=', tokenHash)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['id', 'workspace_id', 'email', 'role'])
    .executeTakeFirst();
}

export function findOpenInvite(db: Executor, tokenHash: string, now: string) {
  return db
    .selectFrom('invites')
    .select(['id', 'email'])
    .where('token_hash', '=', tokenHash)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}
