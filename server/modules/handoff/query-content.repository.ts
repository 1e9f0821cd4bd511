import type { Executor } from '../../platform/db/schema.js';

/**
 * The queries of a visitor's conversations as privacy and retention see them: their sealed texts
 * (page, referrer, resolution note, rating comment) and their events.
 */
export function listQueriesOfConversations(db: Executor, conversationIds: readonly string[]) {
  if (conversationIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('queries')
    .selectAll()
    .where('conversation_id', 'in', conversationIds)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export function listEventsOfQueries(db: Executor, queryIds: readonly string[]) {
  if (queryIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('query_events')
    .selectAll()
    .where('query_id', 'in', queryIds)
    .orderBy('occurred_at')
    .orderBy('id')
    .execute();
}

export async function deleteQueriesOfConversations(
  db: Executor,
  conversationIds: readonly string[],
): Promise<number> {
  if (conversationIds.length === 0) return 0;
  const ids = db.selectFrom('queries').select('id').where('conversation_id', 'in', conversationIds);
  await db.deleteFrom('query_events').where('query_id', 'in', ids).execute();
  const r = await db.deleteFrom('queries').where('conversation_id', 'in', conversationIds).executeTakeFirst();
  return Number(r.numDeletedRows);
}

const SEALED_TEXTS = ['page_url', 'referrer', 'resolution_note', 'rating_comment'] as const;

/** Clears every sealed text of a conversation's queries; returns how many queries held any. */
export async function clearQueryTexts(db: Executor, conversationIds: readonly string[]): Promise<number> {
  if (conversationIds.length === 0) return 0;
  const r = await db
    .updateTable('queries')
    .set({ page_url: null, referrer: null, resolution_note: null, rating_comment: null })
    .where('conversation_id', 'in', conversationIds)
    .where((eb) => eb.or(SEALED_TEXTS.map((c) => eb(c, 'is not', null))))
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Conversations of a widget, closed, whose queries still hold a sealed text. */
export async function selectClosedConversationsWithQueryTexts(
  db: Executor,
  o: { widgetId: string; limit: number },
): Promise<string[]> {
  const rows = await db
    .selectFrom('queries')
    .innerJoin('conversations', 'conversations.id', 'queries.conversation_id')
    .select('queries.conversation_id')
    .distinct()
    .where('queries.widget_id', '=', o.widgetId)
    .where('conversations.status', '=', 'closed')
    .where((eb) => eb.or(SEALED_TEXTS.map((c) => eb(`queries.${c}`, 'is not', null))))
    .orderBy('queries.conversation_id')
    .limit(o.limit)
    .execute();
  return rows.map((r) => r.conversation_id);
}

/**
 * Queries of a widget holding a text older than `before`: the page and referrer date from when the
 * query opened, the resolution note from its closing, the rating comment from the rating.
 */
export async function selectQueriesWithOldTexts(
  db: Executor,
  o: { widgetId: string; before: string; limit: number },
): Promise<string[]> {
  const rows = await db
    .selectFrom('queries')
    .select('id')
    .where('widget_id', '=', o.widgetId)
    .where((eb) =>
      eb.or([
        eb.and([
          eb('created_at', '<', o.before),
          eb.or([eb('page_url', 'is not', null), eb('referrer', 'is not', null)]),
        ]),
        eb.and([eb('closed_at', '<', o.before), eb('resolution_note', 'is not', null)]),
        eb.and([eb('rated_at', '<', o.before), eb('rating_comment', 'is not', null)]),
      ]),
    )
    .orderBy('id')
    .limit(o.limit)
    .execute();
  return rows.map((r) => r.id);
}

export async function clearOldQueryTexts(
  db: Executor,
  ids: readonly string[],
  before: string,
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('queries')
    .set({ page_url: null, referrer: null })
    .where('id', 'in', ids)
    .where('created_at', '<', before)
    .execute();
  await db
    .updateTable('queries')
    .set({ resolution_note: null })
    .where('id', 'in', ids)
    .where('closed_at', '<', before)
    .execute();
  await db
    .updateTable('queries')
    .set({ rating_comment: null })
    .where('id', 'in', ids)
    .where('rated_at', '<', before)
    .execute();
}
