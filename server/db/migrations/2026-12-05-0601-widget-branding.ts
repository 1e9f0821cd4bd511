import type { Kysely } from 'kysely';

/**
 * A widget's look (protocol/branding.ts): one row per widget that an administrator styled; a widget
 * without one looks as Parley's defaults. The bot's avatar is kept here, already re-encoded to a small
 * PNG (`bytea` is a blob on both dialects); `avatar_version` changes with every upload, so the URL the
 * widget uses changes too and a cached old image is never shown.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('widget_branding')
    .addColumn('widget_id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('color', 'text', (c) => c.notNull())
    .addColumn('position', 'text', (c) => c.notNull())
    .addColumn('offset_x', 'integer', (c) => c.notNull())
    .addColumn('offset_y', 'integer', (c) => c.notNull())
    .addColumn('icon', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('powered_by', 'integer', (c) => c.notNull())
    .addColumn('avatar', 'bytea')
    .addColumn('avatar_version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('widget_branding_workspace')
    .on('widget_branding')
    .columns(['workspace_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('widget_branding').execute();
}
