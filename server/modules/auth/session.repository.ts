import type { Executor, SessionsTable } from '../../platform/db/schema.js';

export async function insertSession(db: Executor, row: SessionsTable): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

/** The session, its user and the user's membership, for a cookie's token hash. */
export function findSessionByTokenHash(db: Executor, tokenHash: string) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .innerJoin('memberships', (j) =>
      j
        .onRef('memberships.user_id', '=', 'users.id')
        .onRef('memberships.workspace_id', '=', 'sessions.workspace_id'),
    )
    .select([
      'sessions.id as sessionId',
      'sessions.workspace_id as workspaceId',
      'sessions.last_seen_at as lastSeenAt',
      'sessions.expires_at as expiresAt',
      'sessions.revoked_at as revokedAt',
      'sessions.stage as stage',
      'users.id as userId',
      'users.name as name',
      'users.email as email',
      'users.disabled_at as disabledAt',
      'memberships.role as role',
    ])
    .where('sessions.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function touchSession(db: Executor, id: string, at: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
}

export async function revokeSession(db: Executor, id: string, at: string): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Liveness facts for a batch of sessions, for re-checking open sockets. */
export function findSessionStates(db: Executor, ids: string[]) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id',
      'sessions.revoked_at',
      'sessions.expires_at',
      'sessions.last_seen_at',
      'users.disabled_at',
    ])
    .where('sessions.id', 'in', ids)
    .execute();
}

/** A user's sessions that can still be used (not revoked, not past their absolute expiry). */
export function listLiveSessions(db: Executor, userId: string, now: string) {
  return db
    .selectFrom('sessions')
    .select(['id', 'ip', 'user_agent', 'created_at', 'last_seen_at', 'expires_at'])
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('last_seen_at', 'desc')
    .execute();
}

/** Revokes every live session of the user (but `keep`) and returns their ids. */
export async function revokeUserSessions(
  db: Executor,
  userId: string,
  at: string,
  keep?: string,
): Promise<string[]> {
  let q = db
    .updateTable('sessions')
    .set({ revoked_at: at })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (keep) q = q.where('id', '!=', keep);
  const rows = await q.returning('id').execute();
  return rows.map((r) => r.id);
}

export function findSessionOwner(db: Executor, sessionId: string) {
  return db
    .selectFrom('sessions')
    .select(['id', 'user_id', 'workspace_id', 'revoked_at'])
    .where('id', '=', sessionId)
    .executeTakeFirst();
}

/** A user's sessions and password-reset links, deleted with the account (users/delete-member.ts). */
export async function deleteSessionsOfUser(db: Executor, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  await db.deleteFrom('password_resets').where('user_id', '=', userId).execute();
}

/** These sessions must enroll a second factor before they reach anything else. */
export async function requireEnrollment(db: Executor, sessionIds: readonly string[]): Promise<void> {
  if (sessionIds.length === 0) return;
  await db.updateTable('sessions').set({ stage: 'enroll' }).where('id', 'in', sessionIds).execute();
}
