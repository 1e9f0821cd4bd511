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
