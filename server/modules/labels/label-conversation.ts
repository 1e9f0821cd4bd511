import { LABEL_LIMITS } from '../../../protocol/labels.js';
import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import type { Db } from '../../platform/db/schema.js';
import type { PubSub } from '../../platform/pubsub/pubsub.js';
import { mayAccessConversation, type Scope } from '../handoff/scope.js';
import { announceConversationLabels } from './announce-labels.js';
import {
  countConversationLabels,
  deleteConversationLabel,
  findLabel,
  insertConversationLabel,
} from './label.repository.js';

/**
 * Adds (`on`) or removes a label on a conversation the caller may see (handoff/scope.ts: outside the
 * scope the conversation answers as if it did not exist, for writes as for reads). Adding a label the
 * conversation carries, or removing one it does not, changes nothing. The conversation's labels then
 * reach every agent who sees it, on every node (announce-labels.ts); that is best effort: the change
 * is committed, and a dashboard that missed it reads the labels again when it reconnects.
 */
export async function labelConversation(o: {
  db: Db;
  pubsub: PubSub;
  log: { warn: (obj: object, msg: string) => void };
  scope: Scope;
  workspaceId: string;
  conversationId: string;
  labelId: string;
  on: boolean;
  userId: string | null;
}): Promise<void> {
  await o.db.transaction().execute(async (trx) => {
    if (!(await mayAccessConversation(trx, o.scope, o.conversationId)))
      throw new AppError('conversation_not_found');
    if (!(await findLabel(trx, o.workspaceId, o.labelId))) throw new AppError('label_not_found');
    if (!o.on) return deleteConversationLabel(trx, o.conversationId, o.labelId);
    if ((await countConversationLabels(trx, o.conversationId)) >= LABEL_LIMITS.maxLabelsPerConversation)
      throw new AppError('label_limit_reached');
    await insertConversationLabel(trx, {
      conversation_id: o.conversationId,
      label_id: o.labelId,
      workspace_id: o.workspaceId,
      added_by: o.userId,
      created_at: nowIso(),
    });
  });
  await announceConversationLabels(o, { workspaceId: o.workspaceId, conversationId: o.conversationId }).catch(
    (err: unknown) => o.log.warn({ err: { message: (err as Error).message } }, 'label announcement failed'),
  );
}
