import type { Db } from '../../platform/db/schema.js';
import { deleteContacts, selectContactsQuietBefore } from './channel.repository.js';

/**
 * Visitor data TTL for the platform account a channel's visitor writes from: forgotten once they
 * have not written for the TTL. One bounded batch of a widget's channels; returns how many went.
 */
export async function expireChannelContactsBatch(
  db: Db,
  o: { widgetId: string; ttlSeconds: number; now: Date; limit: number },
): Promise<number> {
  const before = new Date(o.now.getTime() - o.ttlSeconds * 1000).toISOString();
  const ids = await selectContactsQuietBefore(db, { widgetId: o.widgetId, before, limit: o.limit });
  await deleteContacts(db, ids, before);
  return ids.length;
}
