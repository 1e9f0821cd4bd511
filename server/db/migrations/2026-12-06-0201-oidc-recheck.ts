import type { Kysely } from 'kysely';

/**
 * The periodic re-check of people who signed in with OpenID Connect.
 * - `oidc_links.tokens`: the refresh token (and the last access token with its expiry) the provider
 *   gave at the last sign-in or re-check, as one JSON value sealed under the master key ring with the
 *   link as associated data; null when the provider gave none.
 * - `oidc_links.checked_at`: when the provider last confirmed the account.
 * - `oidc_provider_rechecks`: the last re-check of each provider (time, result, counts) for its screen.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('oidc_links').addColumn('tokens', 'text').execute();
  await db.schema.alterTable('oidc_links').addColumn('checked_at', 'text').execute();
  await db.schema
    .createTable('oidc_provider_rechecks')
    .addColumn('provider_id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('checked_at', 'text', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('accounts', 'integer', (c) => c.notNull())
    .addColumn('ended', 'integer', (c) => c.notNull())
    .addColumn('role_changes', 'integer', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('oidc_provider_rechecks').execute();
  await db.schema.alterTable('oidc_links').dropColumn('checked_at').execute();
  await db.schema.alterTable('oidc_links').dropColumn('tokens').execute();
}
