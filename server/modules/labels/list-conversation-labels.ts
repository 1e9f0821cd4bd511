import type { ConversationLabels } from '../../../protocol/labels.js';
import type { Executor } from '../../platform/db/schema.js';
import { findScopeFacts, inScope, type Scope } from '../handoff/scope.js';
import { listLabelsOfConversations } from './label.repository.js';

/** The labels of these conversations, for those the caller's scope reaches; the others are left out. */
export async function listConversationLabels(
  db: Executor,
  o: { scope: Scope; workspaceId: string; conversationIds: string[] },
): Promise<ConversationLabels[]> {
  const facts = await findScopeFacts(db, o.conversationIds);
  const visible = o.conversationIds.filter((id) => {
    const f = facts.get(id);
    return f !== undefined && inScope(f, o.scope);
  });
  const rows = await listLabelsOfConversations(db, o.workspaceId, visible);
  const byConversation = new Map<string, string[]>(visible.map((id) => [id, []]));
  for (const r of rows) byConversation.get(r.conversation_id)?.push(r.label_id);
  return [...byConversation].map(([conversationId, labelIds]) => ({ conversationId, labelIds }));
}
