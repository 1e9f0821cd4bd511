import type { Executor } from '../../platform/db/schema.js';

export function findConversationPage(db: Executor, workspaceId: string, conversationId: string) {
  return db
    .selectFrom('conversations')
    .select(['id', 'visitor_id', 'page_url', 'referrer'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', conversationId)
    .executeTakeFirst();
}

/** The visitor's other conversations, newest first, with their last query's state. */
export function listOtherConversations(
  db: Executor,
  o: { workspaceId: string; visitorId: string; exceptId: string; limit: number },
) {
  return db
    .selectFrom('conversations')
    .leftJoin('queries', 'queries.id', 'conversations.query_id')
    .select([
      'conversations.id as id',
      'conversations.status as status',
      'conversations.created_at as created_at',
      'conversations.last_message_at as last_message_at',
      'queries.state as query_state',
    ])
    .where('conversations.workspace_id', '=', o.workspaceId)
    .where('conversations.visitor_id', '=', o.visitorId)
    .where('conversations.id', '!=', o.exceptId)
    .orderBy('conversations.created_at', 'desc')
    .orderBy('conversations.id', 'desc')
    .limit(o.limit)
    .execute();
}

/** The visitor's first message in a conversation (sealed), if any. */
export function findFirstVisitorMessage(db: Executor, conversationId: string) {
  return db
    .selectFrom('messages')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .where('author_kind', '=', 'visitor')
    .orderBy('seq')
    .limit(1)
    .executeTakeFirst();
}
