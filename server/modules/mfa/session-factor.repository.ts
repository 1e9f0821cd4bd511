import { sql } from 'kysely';
import type { Executor } from '../../platform/db/schema.js';

interface Owner {
  sessionId: string;
  workspaceId: string;
  userId: string;
}

/**
 * Counts one more second-factor attempt on the session and returns the new count. The attempt is
 * counted before the code is checked, so parallel guesses cannot slip past the limit.
 */
export async function countAttempt(db: Executor, owner: Owner, at: string): Promise<number> {
  await db
    .insertInto('session_factors')
    .values({
      session_id: owner.sessionId,
      workspace_id: owner.workspaceId,
      user_id: owner.userId,
      failures: 0,
      verified_at: null,
      updated_at: at,
    })
    .onConflict((oc) => oc.column('session_id').doNothing())
    .execute();
  const row = await db
    .updateTable('session_factors')
    .set({ failures: sql`failures + 1`, updated_at: at })
    .where('session_id', '=', owner.sessionId)
    .returning('failures')
    .executeTakeFirstOrThrow();
  return Number(row.failures);
}

/** Failed attempts on all of a user's sessions touched since `since`. */
export async function userFailuresSince(db: Executor, userId: string, since: string): Promise<number> {
  const row = await db
    .selectFrom('session_factors')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('failures'), eb.lit(0)).as('n'))
    .where('user_id', '=', userId)
    .where('updated_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** After a correct second factor, earlier misses on any of the user's sessions stop counting. */
export async function clearFailures(db: Executor, userId: string, at: string): Promise<void> {
  await db
    .updateTable('session_factors')
    .set({ failures: 0, updated_at: at })
    .where('user_id', '=', userId)
    .where('failures', '>', 0)
    .execute();
}

export async function insertVerifiedSession(db: Executor, owner: Owner, at: string): Promise<void> {
  await db
    .insertInto('session_factors')
    .values({
      session_id: owner.sessionId,
      workspace_id: owner.workspaceId,
      user_id: owner.userId,
      failures: 0,
      verified_at: at,
      updated_at: at,
    })
    .execute();
}

export function findSessionFactor(db: Executor, sessionId: string) {
  return db.selectFrom('session_factors').selectAll().where('session_id', '=', sessionId).executeTakeFirst();
}
