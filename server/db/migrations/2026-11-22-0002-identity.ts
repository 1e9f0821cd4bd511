import type { Kysely } from 'kysely';

// Identity and access: audit log, session stages (second factor), and the tables that follow it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('audit_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('actor_type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text')
    .addColumn('target_id', 'text')
    .addColumn('ip', 'text')
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addUniqueConstraint('audit_events_workspace_seq', ['workspace_id', 'seq'])
    .execute();
  await db.schema
    .createIndex('audit_events_workspace_time')
    .on('audit_events')
    .columns(['workspace_id', 'occurred_at'])
    .execute();

  // The head of each workspace's chain. Appends lock this row, so the chain never forks.
  await db.schema
    .createTable('audit_heads')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();

  // 'full', or a signed-in session still owing its second factor ('mfa') or enrollment ('enroll').
  await db.schema
    .alterTable('sessions')
    .addColumn('stage', 'text', (c) => c.notNull().defaultTo('full'))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sessions').dropColumn('stage').execute();
  for (const t of ['audit_heads', 'audit_events']) await db.schema.dropTable(t).ifExists().execute();
}
