import { randomUUID } from 'node:crypto';
import type { Erasure } from '../../../protocol/data-protection.js';
import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import type { Db } from '../../platform/db/schema.js';
import type { ErasuresTable } from '../../platform/db/schema-data-protection.js';
import { truncateWal } from '../../platform/db/wal-checkpoints.js';
import { isWriteConflict } from '../../platform/db/write-conflict.js';
import type { PubSub } from '../../platform/pubsub/pubsub.js';
import { CONTROL_CHANNEL } from '../auth/end-session.js';
import { lockConversationsOfVisitor } from '../conversations/lookups.js';
import type { Vault } from '../encryption/vault.js';
import { auditErasure } from './audit-hooks.js';
import { findVisitorById, insertErasure, lockVisitorById } from './erasure.repository.js';
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
  const purge = () =>
    db.transaction().execute(async (trx) => {
      // On PostgreSQL the visitor's rows are locked first. Without it a bot turn, a flow step or a
      // message committing between the purge's deletes adds a row that refers to a conversation or
      // to the visitor, and the delete of that parent then fails. Locked, those writers wait for
      // the erasure and then find nothing to write to.
      const postgres = options.dialect === 'postgres';
      if (postgres) await lockConversationsOfVisitor(trx, visitorId);
      const visitor = postgres
        ? await lockVisitorById(trx, visitorId)
        : await findVisitorById(trx, visitorId);
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
  // A writer that took its locks in another order can still meet the erasure in a deadlock, which
  // PostgreSQL ends by rolling one of them back: the erasure then runs again, whole.
  let conversationIds: string[] = [];
  for (let attempt = 1; ; attempt++) {
    try {
      conversationIds = await purge();
      break;
    } catch (err) {
      if (attempt >= 3 || !isWriteConflict(err)) throw err;
    }
  }
  options.vault.forget(visitorId);
  for (const id of conversationIds) options.vault.forgetConversation(id);
  // With secure_delete the freed pages are zeroed; the checkpoint moves that into the main file and
  // empties the WAL, so no old page image of the visitor's rows is left on disk.
  if (options.dialect === 'sqlite') await truncateWal(db);
  await options.pubsub?.publish(
    CONTROL_CHANNEL,
    JSON.stringify({ kind: 'visitor.erased', visitorId, conversationIds }),
  );
  return { id: erasure.id, visitorId, erasedAt: erasure.erased_at };
}
