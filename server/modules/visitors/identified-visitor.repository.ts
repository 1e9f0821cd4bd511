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
