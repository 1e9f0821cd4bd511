import { type Channel, channel } from 'node:diagnostics_channel';

/**
 * What the code tells the metrics, by name. Modules and platform pieces emit; the metrics registry
 * (registry.ts) listens only while metrics are on, so with metrics off an emit costs one check. A
 * payload carries counts, durations and names from a closed list, never an identifier or anything a
 * person typed: the registry maps every label value it does not know to "other".
 *
 * node:diagnostics_channel rather than a registry passed down: the events start deep inside commands
 * (an assignment, a throttled sign-in, a group commit) whose callers should not all learn about metrics.
 */
export interface SignalPayloads {
  /** A message stored (not a resend), by author kind, with the time the command took to store it. */
  'message.stored': { kind: string; seconds: number };
  /** A query given to an agent; `waitSeconds` on its first assignment (time spent queued). */
  'handoff.assigned': { mode: string; waitSeconds: number | null };
  /** A refused credential (wrong password, reset or invite token), by the action it was for. */
  'auth.failed': { action: string };
  /** An account or address reached its lockout threshold. */
  'auth.locked': { scope: string };
  /** A request, socket or frame refused by a limit, by the limit's name. */
  'limit.refused': { limit: string };
  /** A retention pass ended. */
  'retention.run': { outcome: 'completed' | 'failed'; seconds: number };
  /** The database or pub/sub failed under the node (a lost connection, an unavailable server). */
  'database.error': Record<string, never>;
  'pubsub.error': Record<string, never>;
  /** An uploaded file scanned by clamd, by verdict, with the time the scan took. */
  'attachment.scanned': { verdict: string; seconds: number };
  /** A group commit made this many writers' work (SQLite) or sends (PostgreSQL) durable at once. */
  'db.commit-group': { size: number };
}

export type SignalName = keyof SignalPayloads;

const channels = new Map<SignalName, Channel>();
function channelOf(name: SignalName): Channel {
  let c = channels.get(name);
  if (!c) {
    c = channel(`parley.${name}`);
    channels.set(name, c);
  }
  return c;
}

export function emit<K extends SignalName>(name: K, payload: SignalPayloads[K]): void {
  const c = channelOf(name);
  if (c.hasSubscribers) c.publish(payload);
}

/** Returns the function that stops listening. */
export function listen<K extends SignalName>(name: K, fn: (payload: SignalPayloads[K]) => void): () => void {
  const c = channelOf(name);
  const handler = (message: unknown) => fn(message as SignalPayloads[K]);
  c.subscribe(handler);
  return () => c.unsubscribe(handler);
}
