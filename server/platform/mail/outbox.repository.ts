import type { Executor } from '../db/schema.js';

/** Mail whose links still work, newest first. Expired mail is deleted as it is read. */
export async function listOutbox(db: Executor, workspaceId: string | null, now: string) {
  await db.deleteFrom('outbox').where('expires_at', '<=', now).execute();
  let q = db.selectFrom('outbox').selectAll().orderBy('created_at', 'desc').limit(100);
  if (workspaceId) q = q.where('workspace_id', '=', workspaceId);
  return q.execute();
}

/** Every stored outbox body (sealed, or plain from before outbox mail was sealed). */
export function listStoredOutboxBodies(db: Executor) {
  return db.selectFrom('outbox').select(['id', 'body']).orderBy('id').execute();
}

/** Replaces a body only if it is still the one read (the mail may have expired and gone meanwhile). */
export async function replaceOutboxBody(
  db: Executor,
  id: string,
  from: string,
  to: string,
): Promise<boolean> {
  const r = await db
    .updateTable('outbox')
    .set({ body: to })
    .where('id', '=', id)
    .where('body', '=', from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
