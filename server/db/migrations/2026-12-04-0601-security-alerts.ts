import type { Kysely } from 'kysely';

/**
 * Security alerts as administrators read them in the dashboard: one row per workspace an alert
 * reached, with its rule, what it said and how many of its kind were held back before it. Kept 90
 * days; mail and the webhook carry the same facts. Each administrator's read position (the newest
 * alert they were shown) makes the unread count beside Alerts.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('security_alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('raised_at', 'text', (c) => c.notNull())
    .addColumn('facts', 'text', (c) => c.notNull())
    .addColumn('held_back', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('security_alerts_workspace_raised')
    .on('security_alerts')
    .columns(['workspace_id', 'raised_at'])
    .execute();
  await db.schema
    .createTable('security_alert_reads')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('seen_through', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('security_alert_reads_pk', ['user_id', 'workspace_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('security_alert_reads').execute();
  await db.schema.dropTable('security_alerts').execute();
}
