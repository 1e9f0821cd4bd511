import type { Executor, MembershipsTable, UsersTable } from '../../platform/db/schema.js';

export async function insertUser(db: Executor, row: UsersTable): Promise<void> {
  await db.insertInto('users').values(row).execute();
}

export async function insertMembership(db: Executor, row: MembershipsTable): Promise<void> {
  await db.insertInto('memberships').values(row).execute();
}

export function findUserByEmail(db: Executor, email: string) {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

export function findMembership(db: Executor, workspaceId: string, userId: string) {
  return db
    .selectFrom('memberships')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export async function countMembers(db: Executor, workspaceId: string): Promise<number> {
  const row = await db
    .selectFrom('memberships')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function countUsers(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Emails are compared case-insensitively; they are stored trimmed and lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function findUserById(db: Executor, userId: string) {
  return db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
}

/** Members of a workspace with their role and most recent session activity. */
export function listMembers(db: Executor, workspaceId: string) {
  return db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .leftJoin('sessions', 'sessions.user_id', 'users.id')
    .select((eb) => [
      'users.id as id',
      'users.email as email',
      'users.name as name',
      'users.disabled_at as disabledAt',
      'users.created_at as createdAt',
      'memberships.role as role',
      eb.fn.max('sessions.last_seen_at').as('lastSeenAt'),
    ])
    .where('memberships.workspace_id', '=', workspaceId)
    .groupBy([
      'users.id',
      'users.email',
      'users.name',
      'users.disabled_at',
      'users.created_at',
      'memberships.role',
    ])
    .orderBy('users.created_at')
    .execute();
}

export function findMember(db: Executor, workspaceId: string, userId: string) {
  return db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select([
      'users.id as id',
      'users.email as email',
      'users.name as name',
      'users.disabled_at as disabledAt',
      'users.created_at as createdAt',
      'memberships.role as role',
    ])
    .where('memberships.workspace_id', '=', workspaceId)
    .where('users.id', '=', userId)
    .executeTakeFirst();
}

/** Administrators who can still sign in. Row-locks nothing; callers run inside their transaction. */
export async function countActiveAdministrators(db: Executor, workspaceId: string): Promise<number> {
  const row = await db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('memberships.workspace_id', '=', workspaceId)
    .where('memberships.role', '=', 'administrator')
    .where('users.disabled_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The workspace's first administrator: the one who completed setup, while they remain one (else the
 * longest-standing administrator). With SSO-only on, theirs is the break-glass password.
 */
export async function findFirstAdministrator(db: Executor, workspaceId: string) {
  return db
    .selectFrom('memberships')
    .select('user_id')
    .where('workspace_id', '=', workspaceId)
    .where('role', '=', 'administrator')
    .orderBy('created_at')
    .orderBy('id')
    .executeTakeFirst();
}

export async function updateRole(
  db: Executor,
  workspaceId: string,
  userId: string,
  role: MembershipsTable['role'],
): Promise<void> {
  await db
    .updateTable('memberships')
    .set({ role })
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .execute();
}

export async function setDisabled(db: Executor, userId: string, at: string | null): Promise<void> {
  await db.updateTable('users').set({ disabled_at: at }).where('id', '=', userId).execute();
}

export async function updatePasswordHash(db: Executor, userId: string, hash: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: hash }).where('id', '=', userId).execute();
}

/** Deletes the account and its memberships (its sessions and reset links are auth's: deleted first). */
export async function deleteUser(db: Executor, userId: string): Promise<void> {
  await db.deleteFrom('memberships').where('user_id', '=', userId).execute();
  await db.deleteFrom('users').where('id', '=', userId).execute();
}
