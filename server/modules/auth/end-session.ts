import { nowIso } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/schema.js';
import type { PubSub } from '../../platform/pubsub/pubsub.js';
import { revokeSession } from './session.repository.js';

/** Control messages every node listens to (see modules/realtime/hub.ts). */
export const CONTROL_CHANNEL = 'parley:control';

/** Revokes a session and tells every node to close its sockets. */
export async function endSession(options: {
  db: Executor;
  pubsub: PubSub;
  sessionId: string;
}): Promise<void> {
  await revokeSession(options.db, options.sessionId, nowIso());
  await options.pubsub.publish(
    CONTROL_CHANNEL,
    JSON.stringify({ kind: 'session.ended', sessionId: options.sessionId }),
  );
}
