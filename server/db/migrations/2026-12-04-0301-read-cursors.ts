import type { Kysely } from 'kysely';

/**
 * Read receipts: one cursor per reader per conversation (the visitor, or each agent): the last seq
 * delivered to them and the last seq they read. Cursors only move forward. Unread counts are derived
 * from them (`last_seq - read_seq`), so every device of a reader agrees.
 *
 * Notification settings: per agent, whether a new message in their own conversations plays a tone
 * and shows a desktop notification.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('read_cursors')
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('reader_kind', 'text', (c) => c.notNull())
    .addColumn('reader_id', 'text', (c) => c.notNull())
    .addColumn('delivered_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('read_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('read_cursors_pk', ['conversation_id', 'reader_kind', 'reader_id'])
    .execute();
  await db.schema
    .createIndex('read_cursors_reader')
    .on('read_cursors')
    .columns(['reader_kind', 'reader_id'])
    .execute();
  await db.schema
    .createTable('notification_settings')
    .addColumn('user_id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('sound', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('desktop', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('notification_settings').execute();
  await db.schema.dropTable('read_cursors').execute();
}
