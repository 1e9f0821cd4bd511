import type { Kysely } from 'kysely';

/**
 * Company sign-in through LDAP / Active Directory, and client certificates for API tokens.
 * - `directories`: at most one per workspace, found at sign-in by the email domain it claims (unique
 *   across workspaces). The search account's password is sealed under the master key ring.
 * - `directory_role_mappings`: a directory group (DN, lower-cased) and the role its members get.
 * - `directory_accounts`: which users came from a directory and under which DN, for the re-check.
 * - `api_tokens.client_cert_sha256` / `client_ca_pem`: a token usable only with that certificate.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('directories')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().unique())
    .addColumn('email_domain', 'text', (c) => c.notNull().unique())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('start_tls', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('ca_pem', 'text')
    .addColumn('bind_dn', 'text', (c) => c.notNull())
    .addColumn('bind_password', 'text', (c) => c.notNull())
    .addColumn('base_dn', 'text', (c) => c.notNull())
    .addColumn('user_attribute', 'text', (c) => c.notNull())
    .addColumn('group_mode', 'text', (c) => c.notNull())
    .addColumn('group_base_dn', 'text')
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('directory_role_mappings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('directory_id', 'text', (c) => c.notNull())
    .addColumn('group_dn', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addUniqueConstraint('directory_role_mappings_group', ['directory_id', 'group_dn'])
    .execute();
  await db.schema
    .createTable('directory_accounts')
    .addColumn('user_id', 'text', (c) => c.primaryKey())
    .addColumn('directory_id', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('dn', 'text', (c) => c.notNull())
    .addColumn('checked_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('directory_accounts_directory')
    .on('directory_accounts')
    .columns(['directory_id'])
    .execute();
  await db.schema.alterTable('api_tokens').addColumn('client_cert_sha256', 'text').execute();
  await db.schema.alterTable('api_tokens').addColumn('client_ca_pem', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('api_tokens').dropColumn('client_ca_pem').execute();
  await db.schema.alterTable('api_tokens').dropColumn('client_cert_sha256').execute();
  await db.schema.dropTable('directory_accounts').execute();
  await db.schema.dropTable('directory_role_mappings').execute();
  await db.schema.dropTable('directories').execute();
}
