import type { Kysely } from 'kysely';

/**
 * A widget's proactive message rule (protocol/proactive.ts): one row per widget that has one.
 * `version` goes up with every change, so a visitor who saw the old message sees the new one once.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('widget_proactive')
    .addColumn('widget_id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('delay_seconds', 'integer', (c) => c.notNull())
    .addColumn('path_glob', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('text_translations', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('widget_proactive_workspace')
    .on('widget_proactive')
    .columns(['workspace_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('widget_proactive').execute();
}
