import { LABEL_LIMITS } from '../../../protocol/labels.js';
import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import type { Db } from '../../platform/db/schema.js';
import { mayAccessConversation, type Scope } from '../handoff/scope.js';
import {
  countConversationLabels,
  deleteConversationLabel,
  findLabel,
  insertConversationLabel,
} from './label.repository.js';

/**
 * Adds (`on`) or removes a label on a conversation the caller may see (handoff/scope.ts: outside the
 * scope the conversation answers as if it did not exist, for writes as for reads). Adding a label the
 * conversation carries, or removing one it does not, changes nothing.
 */
export async function labelConversation(o: {
  db: Db;
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
}
