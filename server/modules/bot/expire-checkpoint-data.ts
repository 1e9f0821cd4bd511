import type { Db } from '../../platform/db/schema.js';
import { clearCheckpointData, selectStaleCheckpoints } from './flow-record.repository.js';

/**
 * A checkpoint's data is a copy of the visitor data at that point of the flow, so it lives no longer
 * than the visitor data: it goes when the profile went (TTL, storage off, an agent cleared it) or was
 * given afresh since, and with a TTL once it is older than the TTL. One batch for a widget; returns
 * how many copies it cleared. The checkpoint itself (its name and time) stays.
 */
export async function expireCheckpointDataBatch(
  db: Db,
  o: { widgetId: string; ttlSeconds: number | null; now: Date; limit: number },
): Promise<number> {
  const ids = await selectStaleCheckpoints(db, {
    widgetId: o.widgetId,
    now: o.now.toISOString(),
    collectedBefore:
      o.ttlSeconds === null ? null : new Date(o.now.getTime() - o.ttlSeconds * 1000).toISOString(),
    limit: o.limit,
  });
  return clearCheckpointData(db, ids);
}
