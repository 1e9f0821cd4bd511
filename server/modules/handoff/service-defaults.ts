import type { Role } from '../../../protocol/common.js';

/**
 * How many queries an agent holds at once until someone sets it: operators take chats, supervisors
 * and administrators supervise and get none automatically (they can still pick from the queue).
 */
export function defaultCapacity(role: Role): number {
  return role === 'operator' ? 3 : 0;
}

/** An agent with no heartbeat for this long (three missed socket heartbeats) counts as offline. */
export function presenceTtlMs(heartbeatIntervalMs: number): number {
  return heartbeatIntervalMs * 3;
}
