import type { Executor } from '../../platform/db/schema.js';

/** A visitor's flow runs and checkpoints, as privacy and retention see them. */
export function listRunsOfConversations(db: Executor, conversationIds: readonly string[]) {
  if (conversationIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('flow_runs')
    .selectAll()
    .where('conversation_id', 'in', conversationIds)
    .orderBy('conversation_id')
    .execute();
}

export function listCheckpointsOfConversations(db: Executor, conversationIds: readonly string[]) {
  if (conversationIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('conversation_checkpoints')
    .selectAll()
    .where('conversation_id', 'in', conversationIds)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function deleteFlowRecordsOfConversations(
  db: Executor,
  conversationIds: readonly string[],
): Promise<void> {
  if (conversationIds.length === 0) return;
  await db.deleteFrom('conversation_checkpoints').where('conversation_id', 'in', conversationIds).execute();
  await db.deleteFrom('flow_runs').where('conversation_id', 'in', conversationIds).execute();
}

export async function clearCheckpointDataOfConversations(
  db: Executor,
  conversationIds: readonly string[],
): Promise<number> {
  if (conversationIds.length === 0) return 0;
  const r = await db
    .updateTable('conversation_checkpoints')
    .set({ data: null })
    .where('conversation_id', 'in', conversationIds)
    .where('data', 'is not', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function clearCheckpointData(db: Executor, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const r = await db
    .updateTable('conversation_checkpoints')
    .set({ data: null })
    .where('id', 'in', ids)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/**
 * Checkpoints of a widget whose copy of the visitor data outlived the original: the visitor has no
 * live profile, or the profile was given afresh after the copy was taken, or (with a TTL) the copy is
 * older than the TTL.
 */
export async function selectStaleCheckpoints(
  db: Executor,
  o: { widgetId: string; now: string; collectedBefore: string | null; limit: number },
): Promise<string[]> {
  const rows = await db
    .selectFrom('conversation_checkpoints as cp')
    .innerJoin('conversations as c', 'c.id', 'cp.conversation_id')
    .leftJoin('visitor_profiles as p', 'p.visitor_id', 'c.visitor_id')
    .select('cp.id')
    .where('c.widget_id', '=', o.widgetId)
    .where('cp.data', 'is not', null)
    .where((eb) => {
      const stale = [
        eb('p.visitor_id', 'is', null),
        eb('p.expires_at', '<=', o.now),
        eb('cp.created_at', '<', eb.ref('p.collected_at')),
      ];
      if (o.collectedBefore !== null) stale.push(eb('cp.created_at', '<=', o.collectedBefore));
      return eb.or(stale);
    })
    .orderBy('cp.id')
    .limit(o.limit)
    .execute();
  return rows.map((r) => r.id);
}

/** Closed conversations of a widget whose checkpoints still hold a copy of the visitor data. */
export async function selectClosedConversationsWithCheckpointData(
  db: Executor,
  o: { widgetId: string; limit: number },
): Promise<string[]> {
  const rows = await db
    .selectFrom('conversation_checkpoints as cp')
    .innerJoin('conversations as c', 'c.id', 'cp.conversation_id')
    .select('cp.conversation_id')
    .distinct()
    .where('c.widget_id', '=', o.widgetId)
    .where('c.status', '=', 'closed')
    .where('cp.data', 'is not', null)
    .orderBy('cp.conversation_id')
    .limit(o.limit)
    .execute();
  return rows.map((r) => r.conversation_id);
}
