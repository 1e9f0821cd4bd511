import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import type { Db } from '../../platform/db/schema.js';
import type { Vault } from '../encryption/vault.js';
import { purgeIfStorageOff } from '../retention/purge-closed-content.js';
import { insertQueryEvent } from './query.repository.js';

/**
 * The visitor rates the conversation's latest query once it is resolved: 1–5 and an optional comment
 * (sealed under their key). Once only: a second rating is refused.
 */
export async function rateQuery(options: {
  db: Db;
  vault: Vault;
  visitor: { visitorId: string; workspaceId: string };
  conversationId: string;
  score: number;
  comment?: string;
}): Promise<void> {
  const { db, visitor } = options;
  const row = await db
    .selectFrom('conversations')
    .innerJoin('queries', 'queries.id', 'conversations.query_id')
    .select([
      'queries.id as id',
      'queries.state as state',
      'queries.rated_at as rated_at',
      'conversations.visitor_id as visitor_id',
    ])
    .where('conversations.id', '=', options.conversationId)
    .where('conversations.workspace_id', '=', visitor.workspaceId)
    .executeTakeFirst();
  if (!row || row.visitor_id !== visitor.visitorId) throw new AppError('conversation_not_found');
  if (row.state !== 'resolved' || row.rated_at) throw new AppError('rating_not_open');
  const key = await options.vault.forConversation(db, options.conversationId);
  const comment = options.comment?.trim() ? options.comment.trim() : null;
  const at = nowIso();
  await db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('queries')
      .set({
        rating: options.score,
        rating_comment: comment && key ? key.seal('queries', 'rating_comment', row.id, comment) : null,
        rated_at: at,
        updated_at: at,
      })
      .where('id', '=', row.id)
      .where('rated_at', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw new AppError('rating_not_open');
    await insertQueryEvent(trx, {
      workspace_id: visitor.workspaceId,
      query_id: row.id,
      kind: 'rated',
      occurred_at: at,
    });
  });
  // Rated after the conversation closed on a widget with storage off: the comment goes at once.
  await purgeIfStorageOff({ db, vault: options.vault, conversationId: options.conversationId });
}
