import { LEGACY_PREFIX } from '../../platform/crypto/envelope.js';
import type { Executor } from '../../platform/db/schema.js';

export function listLegacyMessages(db: Executor, limit: number) {
  return db
    .selectFrom('messages')
    .selectAll()
    .where('body', 'like', `${LEGACY_PREFIX}%`)
    .orderBy('id')
    .limit(limit)
    .execute();
}

export function listLegacyPreviews(db: Executor, limit: number) {
  return db
    .selectFrom('conversations')
    .select(['id', 'last_message_preview'])
    .where('last_message_preview', 'like', `${LEGACY_PREFIX}%`)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Only if unchanged: a row rewritten meanwhile is left alone. */
export async function updateMessageBody(db: Executor, id: string, from: string, to: string): Promise<void> {
  await db.updateTable('messages').set({ body: to }).where('id', '=', id).where('body', '=', from).execute();
}

export async function updatePreview(db: Executor, id: string, from: string, to: string): Promise<void> {
  await db
    .updateTable('conversations')
    .set({ last_message_preview: to })
    .where('id', '=', id)
    .where('last_message_preview', '=', from)
    .execute();
}

export async function countLegacyRows(db: Executor): Promise<number> {
  const m = await db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('body', 'like', `${LEGACY_PREFIX}%`)
    .executeTakeFirst();
  const c = await db
    .selectFrom('conversations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('last_message_preview', 'like', `${LEGACY_PREFIX}%`)
    .executeTakeFirst();
  return Number(m?.n ?? 0) + Number(c?.n ?? 0);
}
