import type { PubSub } from '../../platform/pubsub/pubsub.js';
import { CONTROL_CHANNEL } from '../auth/end-session.js';

/**
 * These agents' teams changed, so their scope did (handoff/scope.ts): every node reads it again for
 * their open sockets and stops what it no longer reaches (realtime/hub.ts).
 */
export async function announceScopeChange(pubsub: PubSub, userIds: readonly string[]): Promise<void> {
  if (userIds.length === 0) return;
  await pubsub.publish(CONTROL_CHANNEL, JSON.stringify({ kind: 'scope.changed', userIds: [...userIds] }));
}
