import type { Executor } from '../../platform/db/schema.js';
import type { OidcProviderRechecksTable } from '../../platform/db/schema-sso.js';

/**
 * Provider-linked accounts that have a session still live, by link id: the ones the re-check asks
 * about. Any live session counts, not only those the provider opened: a person the provider no
 * longer vouches for keeps no other way in.
 */
export function listLinksWithLiveSessions(db: Executor, now: string, afterId: string, limit: number) {
  return db
    .selectFrom('oidc_links')
    .select(['id', 'workspace_id', 'provider_id', 'subject', 'user_id', 'tokens'])
    .where('id', '>', afterId)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('sessions')
          .select('sessions.id')
          .whereRef('sessions.user_id', '=', 'oidc_links.user_id')
          .where('sessions.revoked_at', 'is', null)
          .where('sessions.expires_at', '>', now),
      ),
    )
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** The provider's access is over: its tokens are worth nothing and are not kept. */
export async function clearLinkTokens(db: Executor, linkId: string): Promise<void> {
  await db.updateTable('oidc_links').set({ tokens: null }).where('id', '=', linkId).execute();
}

export async function saveProviderRecheck(db: Executor, row: OidcProviderRechecksTable): Promise<void> {
  const { provider_id: _id, ...rest } = row;
  await db
    .insertInto('oidc_provider_rechecks')
    .values(row)
    .onConflict((oc) => oc.column('provider_id').doUpdateSet(rest))
    .execute();
}

export function findProviderRecheck(db: Executor, providerId: string) {
  return db
    .selectFrom('oidc_provider_rechecks')
    .selectAll()
    .where('provider_id', '=', providerId)
    .executeTakeFirst();
}

export function listProviderRechecks(db: Executor, workspaceId: string) {
  return db
    .selectFrom('oidc_provider_rechecks')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .execute();
}

/**
 * Links of members deleted since: the users row is gone, so the link and the provider's tokens it
 * holds (a credential for someone who is no longer here) go too.
 */
export async function deleteOrphanLinks(db: Executor): Promise<void> {
  await db
    .deleteFrom('oidc_links')
    .where((eb) =>
      eb.not(
        eb.exists(eb.selectFrom('users').select('users.id').whereRef('users.id', '=', 'oidc_links.user_id')),
      ),
    )
    .execute();
}
