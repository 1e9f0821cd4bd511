import type { Executor } from '../../platform/db/schema.js';

export async function selectOldMessageIds(
  db: Executor,
  o: { widgetId: string; before: string; limit: number },
) {
  const rows = await db
    .selectFrom('messages')
    .innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
    .select('messages.id')
    .where('conversations.widget_id', '=', o.widgetId)
    .where('messages.created_at', '<', o.before)
    .orderBy('messages.created_at')
    .limit(o.limit)
    .execute();
  return rows.map((r) => r.id);
}

export async function deleteMessagesById(db: Executor, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const r = await db.deleteFrom('messages').where('id', 'in', ids).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/**
 * The inbox preview quotes the last message, and the page and referrer are where the visitor was
 * while writing: once the last message is older than the cutoff, they go too.
 */
export async function clearConversationTextsBefore(
  db: Executor,
  widgetId: string,
  before: string,
): Promise<void> {
  await db
    .updateTable('conversations')
    .set({ last_message_preview: null, page_url: null, referrer: null })
    .where('widget_id', '=', widgetId)
    .where('last_message_at', '<', before)
    .where((eb) =>
      eb.or([
        eb('last_message_preview', 'is not', null),
        eb('page_url', 'is not', null),
        eb('referrer', 'is not', null),
      ]),
    )
    .execute();
}

export function selectInactiveConversations(
  db: Executor,
  o: { widgetId: string; before: string; limit: number },
) {
  return db
    .selectFrom('conversations')
    .selectAll()
    .where('widget_id', '=', o.widgetId)
    .where('last_message_at', '<', o.before)
    .orderBy('last_message_at')
    .orderBy('id')
    .limit(o.limit)
    .execute();
}

/**
 * Locks the conversation (an UPDATE that changes nothing takes the row lock on PostgreSQL) if it is
 * still inactive: a message arriving meanwhile waits, then finds the conversation gone.
 */
export async function lockIfInactive(db: Executor, id: string, before: string): Promise<boolean> {
  const r = await db
    .updateTable('conversations')
    .set((eb) => ({ updated_at: eb.ref('updated_at') }))
    .where('id', '=', id)
    .where('last_message_at', '<', before)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * Takes the conversation's row lock until the transaction ends (an UPDATE that changes nothing, so it
 * works on both dialects), as a message's store takes it first: a purge then waits for a message
 * being stored instead of meeting it in a deadlock.
 */
export async function lockConversation(db: Executor, id: string): Promise<void> {
  await db
    .updateTable('conversations')
    .set((eb) => ({ updated_at: eb.ref('updated_at') }))
    .where('id', '=', id)
    .execute();
}

export function listAllMessageRows(db: Executor, conversationId: string) {
  return db
    .selectFrom('messages')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .orderBy('seq')
    .execute();
}

export async function countOtherConversations(
  db: Executor,
  visitorId: string,
  exceptId: string,
  status?: 'open',
) {
  let q = db
    .selectFrom('conversations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('visitor_id', '=', visitorId)
    .where('id', '!=', exceptId);
  if (status) q = q.where('status', '=', status);
  const row = await q.executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Closed conversations of a storage-off widget that still hold content. */
export async function selectClosedWithContent(db: Executor, o: { widgetId: string; limit: number }) {
  const rows = await db
    .selectFrom('conversations')
    .select('id')
    .where('widget_id', '=', o.widgetId)
    .where('status', '=', 'closed')
    .where((eb) =>
      eb.or([
        eb('last_message_preview', 'is not', null),
        eb('page_url', 'is not', null),
        eb('referrer', 'is not', null),
        eb.exists(
          eb
            .selectFrom('messages')
            .select('messages.id')
            .whereRef('messages.conversation_id', '=', 'conversations.id'),
        ),
        eb.exists(
          eb
            .selectFrom('conversation_notes')
            .select('conversation_notes.id')
            .whereRef('conversation_notes.conversation_id', '=', 'conversations.id'),
        ),
      ]),
    )
    .orderBy('id')
    .limit(o.limit)
    .execute();
  return rows.map((r) => r.id);
}

/** The preview and the page and referrer the widget reported: the conversation's texts beside its messages. */
export async function clearConversationTexts(db: Executor, conversationId: string): Promise<void> {
  await db
    .updateTable('conversations')
    .set({ last_message_preview: null, page_url: null, referrer: null })
    .where('id', '=', conversationId)
    .execute();
}

export function findConversationWithRetention(db: Executor, conversationId: string) {
  return db
    .selectFrom('conversations')
    .leftJoin('widget_retention', 'widget_retention.widget_id', 'conversations.widget_id')
    .select([
      'conversations.id',
      'conversations.status',
      'conversations.visitor_id',
      'conversations.workspace_id',
      'widget_retention.storage_off',
    ])
    .where('conversations.id', '=', conversationId)
    .executeTakeFirst();
}
