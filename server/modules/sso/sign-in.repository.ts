import type { Executor } from '../../platform/db/schema.js';
import type {
  OidcLinksTable,
  OidcLoginStatesTable,
  OidcSessionsTable,
} from '../../platform/db/schema-sso.js';

export async function insertLoginState(db: Executor, row: OidcLoginStatesTable): Promise<void> {
  await db.insertInto('oidc_login_states').values(row).execute();
}

/**
 * Takes a sign-in state once: the conditional update succeeds for exactly one callback, so a replayed
 * or raced callback finds nothing. Expired and used rows are left for the sweep.
 */
export async function takeLoginState(
  db: Executor,
  stateHash: string,
  at: string,
): Promise<OidcLoginStatesTable | undefined> {
  const row = await db
    .selectFrom('oidc_login_states')
    .selectAll()
    .where('state_hash', '=', stateHash)
    .executeTakeFirst();
  if (!row || row.used_at !== null) return undefined;
  const r = await db
    .updateTable('oidc_login_states')
    .set({ used_at: at })
    .where('id', '=', row.id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1 ? row : undefined;
}

/** Sign-ins under way are worth nothing after they expire; used ones are kept as long, then go too. */
export async function deleteExpiredLoginStates(db: Executor, before: string): Promise<void> {
  await db.deleteFrom('oidc_login_states').where('expires_at', '<', before).execute();
}

export async function findLink(
  db: Executor,
  providerId: string,
  subject: string,
): Promise<OidcLinksTable | undefined> {
  return db
    .selectFrom('oidc_links')
    .selectAll()
    .where('provider_id', '=', providerId)
    .where('subject', '=', subject)
    .executeTakeFirst();
}

export async function insertLink(db: Executor, row: OidcLinksTable): Promise<void> {
  await db.insertInto('oidc_links').values(row).execute();
}

export async function deleteLink(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('oidc_links').where('id', '=', id).execute();
}

export async function touchLink(db: Executor, id: string, at: string): Promise<void> {
  await db.updateTable('oidc_links').set({ last_sign_in_at: at }).where('id', '=', id).execute();
}

export async function insertOidcSession(db: Executor, row: OidcSessionsTable): Promise<void> {
  await db.insertInto('oidc_sessions').values(row).execute();
}

/** The Parley sessions a provider's logout names: by its session id (`sid`), or every one of the subject. */
export async function findOidcSessions(
  db: Executor,
  o: { providerId: string; subject?: string; sid?: string },
): Promise<OidcSessionsTable[]> {
  let q = db.selectFrom('oidc_sessions').selectAll().where('provider_id', '=', o.providerId);
  if (o.sid !== undefined) q = q.where('sid', '=', o.sid);
  if (o.subject !== undefined) q = q.where('subject', '=', o.subject);
  return q.execute();
}

export async function findProviderSessions(db: Executor, providerId: string): Promise<OidcSessionsTable[]> {
  return db.selectFrom('oidc_sessions').selectAll().where('provider_id', '=', providerId).execute();
}

export async function deleteOidcSessions(db: Executor, sessionIds: readonly string[]): Promise<void> {
  if (sessionIds.length === 0) return;
  await db.deleteFrom('oidc_sessions').where('session_id', 'in', sessionIds).execute();
}

export async function deleteExpiredOidcSessions(db: Executor, before: string): Promise<void> {
  await db.deleteFrom('oidc_sessions').where('expires_at', '<', before).execute();
}
