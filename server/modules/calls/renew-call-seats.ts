import { nowIso } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/schema.js';
import { renewSeats } from './call.repository.js';

const CHUNK = 500;

/**
 * The node's sockets that sit in (or offered) a call say they are still there. A node that dies
 * stops saying it, and the call sweep (sweep-calls.ts) ends its calls as `lost`.
 */
export async function renewCallSeats(db: Executor, connectionIds: readonly string[]): Promise<void> {
  const now = nowIso();
  for (let i = 0; i < connectionIds.length; i += CHUNK)
    await renewSeats(db, connectionIds.slice(i, i + CHUNK), now);
}
