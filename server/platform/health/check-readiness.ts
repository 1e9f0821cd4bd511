import { sql } from 'kysely';
import { pendingMigrations } from '../db/migrate.js';
import type { Db } from '../db/schema.js';
import type { PubSub } from '../pubsub/pubsub.js';

export type CheckState = 'ok' | 'failing' | 'pending' | 'unknown';

export interface Readiness {
  status: 'ready' | 'unavailable';
  checks: { database: CheckState; pubsub: CheckState; migrations: CheckState };
}

/** Each part must answer within this, or it counts as failing: a probe must not hang with the server. */
export const READINESS_TIMEOUT_MS = 2_000;

/**
 * Whether this node can serve: the database answers `SELECT 1`, pub/sub answers a PING (Redis; the
 * in-process one always does) and every migration this version knows is applied. Says which part
 * fails, nothing else: no addresses, versions or personal data.
 */
export async function checkReadiness(options: {
  db: Db;
  pubsub: PubSub;
  timeoutMs?: number;
}): Promise<Readiness> {
  const timeoutMs = options.timeoutMs ?? READINESS_TIMEOUT_MS;
  const [database, pubsub] = await Promise.all([
    passes(sql`select 1`.execute(options.db), timeoutMs),
    passes(options.pubsub.ping(), timeoutMs),
  ]);
  let migrations: CheckState = 'unknown';
  if (database === 'ok') {
    const pending = await within(pendingMigrations(options.db), timeoutMs).catch(() => null);
    migrations = pending === null ? 'failing' : pending.length > 0 ? 'pending' : 'ok';
  }
  const ready = database === 'ok' && pubsub === 'ok' && migrations === 'ok';
  return { status: ready ? 'ready' : 'unavailable', checks: { database, pubsub, migrations } };
}

async function passes(work: Promise<unknown>, timeoutMs: number): Promise<CheckState> {
  return within(work, timeoutMs).then(
    () => 'ok' as const,
    () => 'failing' as const,
  );
}

function within<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), timeoutMs);
  });
  // The losing promise may still settle later; nothing waits for it, and its rejection is handled.
  work.catch(() => {});
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
