import { type Kysely, sql } from 'kysely';

/**
 * Encryption at rest, visitor profiles, notes, retention, archives and erasure records.
 * Tables without a workspace of their own (leases, key rotations) carry workspace_id '*'.
 * Booleans are integers 0/1 so the same rows load on SQLite and PostgreSQL.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('data_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('kek_id', 'text', (c) => c.notNull())
    .addColumn('wrapped', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('data_keys_kek').on('data_keys').columns(['kek_id', 'id']).execute();

  await db.schema
    .createTable('visitor_profiles')
    .addColumn('visitor_id', 'text', (c) => c.primaryKey().references('visitors.id').onDelete('cascade'))
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('widget_id', 'text', (c) => c.notNull().references('widgets.id'))
    .addColumn('name', 'text')
    .addColumn('email', 'text')
    .addColumn('email_index', 'text')
    .addColumn('phone', 'text')
    .addColumn('custom', 'text')
    .addColumn('collected_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('visitor_profiles_email')
    .on('visitor_profiles')
    .columns(['workspace_id', 'email_index'])
    .execute();
  await db.schema
    .createIndex('visitor_profiles_collected')
    .on('visitor_profiles')
    .columns(['widget_id', 'collected_at'])
    .execute();

  await db.schema
    .createTable('conversation_notes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('conversation_id', 'text', (c) =>
      c.notNull().references('conversations.id').onDelete('cascade'),
    )
    .addColumn('author_id', 'text', (c) => c.notNull())
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('conversation_notes_conversation')
    .on('conversation_notes')
    .columns(['conversation_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('conversation_archives')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('widget_id', 'text', (c) => c.notNull().references('widgets.id'))
    .addColumn('visitor_id', 'text', (c) => c.notNull().references('visitors.id').onDelete('cascade'))
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('message_count', 'integer', (c) => c.notNull())
    .addColumn('first_message_at', 'text')
    .addColumn('last_message_at', 'text')
    .addColumn('profile_expires_at', 'text')
    .addColumn('archived_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('conversation_archives_workspace')
    .on('conversation_archives')
    .columns(['workspace_id', 'archived_at'])
    .execute();
  await db.schema
    .createIndex('conversation_archives_visitor')
    .on('conversation_archives')
    .columns(['visitor_id'])
    .execute();
  await db.schema
    .createIndex('conversation_archives_widget')
    .on('conversation_archives')
    .columns(['widget_id', 'first_message_at'])
    .execute();

  await db.schema
    .createTable('widget_retention')
    .addColumn('widget_id', 'text', (c) => c.primaryKey().references('widgets.id').onDelete('cascade'))
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('visitor_data_ttl_seconds', 'integer')
    .addColumn('history_hours', 'integer')
    .addColumn('inactivity_days', 'integer', (c) => c.notNull().defaultTo(90))
    .addColumn('archive_inactive', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('storage_off', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('retention_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('node', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text', (c) => c.notNull())
    .addColumn('counts', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .execute();
  await db.schema
    .createIndex('retention_runs_workspace')
    .on('retention_runs')
    .columns(['workspace_id', 'started_at'])
    .execute();

  await db.schema
    .createTable('scheduler_leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('holder', 'text')
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('last_run_at', 'text')
    .execute();

  await db.schema
    .createTable('erasures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('visitor_id', 'text', (c) => c.notNull())
    .addColumn('erased_at', 'text', (c) => c.notNull())
    .addColumn('actor_user_id', 'text')
    .addColumn('via', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('erasures_visitor').on('erasures').columns(['visitor_id']).execute();

  await db.schema
    .createTable('key_rotations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('target_kek_id', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('rewrapped', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  // For retention: old messages of a workspace, inactive conversations of a widget.
  await db.schema
    .createIndex('messages_workspace_created')
    .on('messages')
    .columns(['workspace_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('conversations_widget_activity')
    .on('conversations')
    .columns(['widget_id', 'last_message_at'])
    .execute();

  // Text written before this migration is plaintext. Mark it so it is never mistaken for a sealed
  // value; `parley start` seals marked rows under each visitor's data key (seal-legacy-rows.ts).
  await db.updateTable('messages').set({ body: sql`'p0:' || body` }).execute();
  await db
    .updateTable('conversations')
    .set({ last_message_preview: sql`'p0:' || last_message_preview` })
    .where('last_message_preview', 'is not', null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('conversations_widget_activity').ifExists().execute();
  await db.schema.dropIndex('messages_workspace_created').ifExists().execute();
  for (const t of [
    'key_rotations',
    'erasures',
    'scheduler_leases',
    'retention_runs',
    'widget_retention',
    'conversation_archives',
    'conversation_notes',
    'visitor_profiles',
    'data_keys',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
