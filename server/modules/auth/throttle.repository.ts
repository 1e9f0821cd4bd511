import { sql } from 'kysely';
import type { Executor } from '../../platform/db/schema.js';

export function findThrottles(db: Executor, keys: string[]) {
  return db.selectFrom('auth_throttles').selectAll().where('key', 'in', keys).execute();
}

/** Counts one failure atomically and returns the new count and the window's start. */
export async function incrementThrottle(db: Executor, key: string, now: string) {
  await db
    .insertInto('auth_throttles')
    .values({ key, workspace_id: '*', failures: 0, window_started_at: now, blocked_until: null })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  return db
    .updateTable('auth_throttles')
    .set({ failures: sql`failures + 1` })
    .where('key', '=', key)
    .returning(['failures', 'window_started_at'])
    .executeTakeFirstOrThrow();
}

export async function restartThrottleWindow(db: Executor, key: string, now: string): Promise<void> {
  await db
    .updateTable('auth_throttles')
    .set({ failures: 1, window_started_at: now, blocked_until: null })
    .where('key', '=', key)
    .execute();
}

export async function blockThrottle(db: Executor, key: string, until: string): Promise<void> {
  await db.updateTable('auth_throttles').set({ blocked_until: until }).where('key', '=', key).execute();
}

export async function clearThrottle(db: Executor, key: string): Promise<void> {
  await db.deleteFrom('auth_throttles').where('key', '=', key).execute();
}
