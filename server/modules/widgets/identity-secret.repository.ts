import type { Executor } from '../../platform/db/schema.js';

/** Every widget's stored identity secret (sealed, or as is from before they were sealed). */
export function listStoredIdentitySecrets(db: Executor) {
  return db
    .selectFrom('widgets')
    .select(['id', 'identity_secret'])
    .where('identity_secret', 'is not', null)
    .orderBy('id')
    .execute();
}

/** Replaces a stored secret only if it is still the one read: a rotation meanwhile wins. */
export async function replaceStoredIdentitySecret(
  db: Executor,
  widgetId: string,
  from: string,
  to: string,
): Promise<boolean> {
  const r = await db
    .updateTable('widgets')
    .set({ identity_secret: to })
    .where('id', '=', widgetId)
    .where('identity_secret', '=', from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
