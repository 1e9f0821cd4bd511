import type { Kysely } from 'kysely';

/**
 * Attachments: one row per stored file (its name sealed under the visitor's data key, its kind decided
 * from its content), the sealed chunks of its content when the store is the database (PostgreSQL, shared
 * by every node; on SQLite the chunks are files under the data directory), and each workspace's list of
 * kinds it accepts. `bytea` is a blob on both dialects (SQLite keeps blobs as they are).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('attachments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text')
    .addColumn('uploader_kind', 'text', (c) => c.notNull())
    .addColumn('uploader_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('chunk_count', 'integer', (c) => c.notNull())
    .addColumn('width', 'integer')
    .addColumn('height', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('attachments_conversation')
    .on('attachments')
    .columns(['conversation_id', 'created_at'])
    .execute();
  await db.schema.createIndex('attachments_workspace').on('attachments').columns(['workspace_id']).execute();
  await db.schema.createIndex('attachments_message').on('attachments').columns(['message_id']).execute();
  await db.schema
    .createTable('attachment_chunks')
    .addColumn('attachment_id', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('idx', 'integer', (c) => c.notNull())
    .addColumn('data', 'bytea', (c) => c.notNull())
    .addPrimaryKeyConstraint('attachment_chunks_pk', ['attachment_id', 'idx'])
    .execute();
  await db.schema
    .createTable('attachment_settings')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey())
    .addColumn('allowed_kinds', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // What a message carries (the attachments' ids, names, kinds, sizes), sealed with the message.
  await db.schema.alterTable('messages').addColumn('attachments', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('messages').dropColumn('attachments').execute();
  await db.schema.dropTable('attachment_settings').execute();
  await db.schema.dropTable('attachment_chunks').execute();
  await db.schema.dropTable('attachments').execute();
}
