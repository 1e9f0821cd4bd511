import { nowIso } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/schema.js';
import type { PubSub } from '../../platform/pubsub/pubsub.js';
import { revokeSession, revokeUserSessions } from './session.repository.js';

/** Control messages every node listens to (see modules/realtime/hub.ts). */
export const CONTROL_CHANNEL = 'parley:control';

/** Tells every node to close the sockets of these sessions now. */
export async function announceEndedSessions(pubsub: PubSub, sessionIds: readonly string[]): Promise<void> {
  for (const sessionId of sessionIds)
    await pubsub.publish(CONTROL_CHANNEL, JSON.stringify({ kind: 'session.ended', sessionId }));
}

/** Revokes a session and tells every node to close its sockets. */
export async function endSession(options: {
  db: Executor;
  pubsub: PubSub;
  sessionId: string;
}): Promise<void> {
  await revokeSession(options.db, options.sessionId, nowIso());
  await announceEndedSessions(options.pubsub, [options.sessionId]);
}

/** Revokes these sessions (in the caller's transaction); announce them after it commits. */
export async function revokeSessions(db: Executor, sessionIds: readonly string[]): Promise<void> {
  const at = nowIso();
  for (const id of sessionIds) await revokeSession(db, id, at);
}

/**
 * Ends every session of a user (all but `keep`, when given): sign-out everywhere, password reset,
 * disabling, role change. Pass the caller's transaction and announce after it commits.
 */
export async function revokeAllSessions(options: {
  db: Executor;
  userId: string;
  keep?: string;
}): Promise<string[]> {
  return revokeUserSessions(options.db, options.userId, nowIso(), options.keep);
}
