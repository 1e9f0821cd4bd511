import type { Db } from '../../platform/db/schema.js';
import { forgetVerifiedIdentities } from './forget-verified-identities.js';
import { selectIdentitiesSeenBefore } from './identified-visitor.repository.js';

/**
 * Visitor data TTL for the site's user id: each verified start vouches for it again, so it is
 * forgotten once the site has not vouched for it for the TTL. One batch for a widget, in one
 * transaction; `seen` says whether the batch was full (a start may have vouched for some meanwhile).
 */
export async function expireVerifiedIdentitiesBatch(
  db: Db,
  o: { widgetId: string; ttlSeconds: number; now: Date; limit: number },
): Promise<{ seen: number; forgotten: number }> {
  const before = new Date(o.now.getTime() - o.ttlSeconds * 1000).toISOString();
  const ids = await selectIdentitiesSeenBefore(db, { widgetId: o.widgetId, before, limit: o.limit });
  if (ids.length === 0) return { seen: 0, forgotten: 0 };
  const forgotten = await db
    .transaction()
    .execute((trx) =>
      forgetVerifiedIdentities(trx, { visitorIds: ids, at: o.now.toISOString(), seenBefore: before }),
    );
  return { seen: ids.length, forgotten: forgotten.length };
}
