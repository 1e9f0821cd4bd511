import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Erasure } from '../../../protocol/data-protection.js';
import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import type { Db } from '../../platform/db/schema.js';
import type { ErasuresTable } from '../../platform/db/schema-data-protection.js';
import type { PubSub } from '../../platform/pubsub/pubsub.js';
import { CONTROL_CHANNEL } from '../auth/end-session.js';
import type { Vault } from '../encryption/vault.js';
import { auditErasure } from './audit-hooks.js';
import { findVisitorById, insertErasure } from './erasure.repository.js';
import { purgeVisitorRows } from './purge-visitor-rows.js';

/**
 * Erases a visitor: their data key and every row about them, archives included, in one transaction,
 * with an erasure record of ids only (which `parley restore` re-applies). Every node then forgets the
 * key and closes the visitor's sockets.
 */
export async function eraseVisitor(options: {
  db: Db;
  dialect: 'sqlite' | 'postgres';
  vault: Vault;
  pubsub: PubSub | null;
  workspaceId: string;
  visitorId: string;
  actorUserId: string | null;
  /** The API token that asked, when a site backend erased the visitor. */
  actorTokenId?: string | null;
  via: ErasuresTable['via'];
}): Promise<Erasure> {
  const { db, workspaceId, visitorId } = options;
  const erasure: ErasuresTable = {
    id: randomUUID(),
    workspace_id: workspaceId,
    visitor_id: visitorId,
    erased_at: nowIso(),
    actor_user_id: options.actorUserId,
    via: options.via,
  };
  const conversationIds = await db.transaction().execute(async (trx) => {
    const visitor = await findVisitorById(trx, visitorId);
    if (!visitor || visitor.workspace_id !== workspaceId) throw new AppError('visitor_not_found');
    const ids = await purgeVisitorRows(trx, visitorId);
    await insertErasure(trx, erasure);
    await auditErasure(trx, {
      workspaceId,
      actorUserId: options.actorUserId,
      actorTokenId: options.actorTokenId ?? null,
      visitorId,
      erasureId: erasure.id,
    });
    return ids;
  });
  options.vault.forget(visitorId);
  for (const id of conversationIds) options.vault.forgetConversation(id);
  // With secure_delete the freed pages are zeroed; the checkpoint moves that into the main file and
  // empties the WAL, so no old page image of the visitor's rows is left on disk.
  if (options.dialect === 'sqlite') await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db);
  await options.pubsub?.publish(
    CONTROL_CHANNEL,
    JSON.stringify({ kind: 'visitor.erased', visitorId, conversationIds }),
  );
  return { id: erasure.id, visitorId, erasedAt: erasure.erased_at };
}
