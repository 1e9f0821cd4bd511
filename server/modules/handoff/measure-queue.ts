import type { Db } from '../../platform/db/schema.js';
import { queuedSummary } from './queue-stats.repository.js';

/** The queue as Prometheus sees it: counts and a duration, nothing that names a query or a visitor. */
export async function measureQueue(db: Db): Promise<{ waiting: number; oldestWaitSeconds: number }> {
  const { waiting, oldest } = await queuedSummary(db);
  const oldestWaitSeconds = oldest ? Math.max(0, (Date.now() - Date.parse(oldest)) / 1000) : 0;
  return { waiting, oldestWaitSeconds };
}
