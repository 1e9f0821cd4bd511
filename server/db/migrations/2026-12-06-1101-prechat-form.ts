import type { Kysely } from 'kysely';

/**
 * A widget's pre-chat form (protocol/prechat.ts): one row per widget an administrator set it up
 * for; a widget without one shows no form. What visitors answer goes to their profile (sealed).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('widget_prechat')
    .addColumn('widget_id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('name_field', 'text', (c) => c.notNull())
    .addColumn('email_field', 'text', (c) => c.notNull())
    .addColumn('consent_field', 'text', (c) => c.notNull())
    .addColumn('privacy_url', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('widget_prechat_workspace')
    .on('widget_prechat')
    .columns(['workspace_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('widget_prechat').execute();
}
