import type { Executor } from '../../platform/db/schema.js';

/** Every widget's sealed webhook secret (`<kekId>:<wrapped>`). */
export function listSealedBotSecrets(db: Executor) {
  return db
    .selectFrom('widget_bot_settings')
    .select(['widget_id', 'external_bot_secret'])
    .where('external_bot_secret', 'is not', null)
    .orderBy('widget_id')
    .execute();
}

/** Replaces a sealed secret only if it is still the one read: a secret rotated meanwhile wins. */
export async function replaceSealedBotSecret(
  db: Executor,
  widgetId: string,
  from: string,
  to: string,
): Promise<boolean> {
  const r = await db
    .updateTable('widget_bot_settings')
    .set({ external_bot_secret: to })
    .where('widget_id', '=', widgetId)
    .where('external_bot_secret', '=', from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
