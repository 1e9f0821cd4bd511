import type { Executor } from '../../platform/db/schema.js';

/** Mail whose links still work, newest first. Expired mail is deleted as it is read. */
export async function listOutbox(db: Executor, workspaceId: string | null, now: string) {
  await db.deleteFrom('outbox').where('expires_at', '<=', now).execute();
  let q = db.selectFrom('outbox').selectAll().orderBy('created_at', 'desc').limit(100);
  if (workspaceId) q = q.where('workspace_id', '=', workspaceId);
  return q.execute();
}
