import type { Executor, VisitorsTable } from '../../platform/db/schema.js';

/** Inserts the visitor unless the widget already has one for this site user (a racing device won). */
export async function insertIdentifiedVisitorIfAbsent(db: Executor, row: VisitorsTable): Promise<void> {
  await db
    .insertInto('visitors')
    .values(row)
    .onConflict((oc) => oc.columns(['widget_id', 'external_user_id']).doNothing())
    .execute();
}

export function findVisitorByExternalUser(db: Executor, widgetId: string, externalUserId: string) {
  return db
    .selectFrom('visitors')
    .selectAll()
    .where('widget_id', '=', widgetId)
    .where('external_user_id', '=', externalUserId)
    .executeTakeFirst();
}

/** Verified visitors of a widget whose site last vouched for them (their last start) before `before`. */
export async function selectIdentitiesSeenBefore(
  db: Executor,
  o: { widgetId: string; before: string; limit: number },
): Promise<string[]> {
  const rows = await db
    .selectFrom('visitors')
    .select('id')
    .where('widget_id', '=', o.widgetId)
    .where('external_user_id', 'is not', null)
    .where('last_seen_at', '<=', o.before)
    .orderBy('id')
    .limit(o.limit)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Clears the site's user id of these visitors (with `seenBefore`, only of those not seen since: a
 * start that vouched for one meanwhile keeps it). Returns the visitors it cleared.
 */
export async function clearExternalUserIds(
  db: Executor,
  visitorIds: readonly string[],
  seenBefore?: string,
): Promise<string[]> {
  if (visitorIds.length === 0) return [];
  let q = db
    .updateTable('visitors')
    .set({ external_user_id: null })
    .where('id', 'in', visitorIds)
    .where('external_user_id', 'is not', null);
  if (seenBefore) q = q.where('last_seen_at', '<=', seenBefore);
  const rows = await q.returning('id').execute();
  return rows.map((r) => r.id);
}
