import type { Executor } from '../../platform/db/schema.js';

export async function closeConversationRow(
  db: Executor,
  workspaceId: string,
  conversationId: string,
  at: string,
): Promise<boolean> {
  const result = await db
    .updateTable('conversations')
    .set({ status: 'closed', updated_at: at })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', conversationId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
