import type { Kysely } from 'kysely';

/**
 * Labels and the search index.
 *
 * `labels` are a workspace's tags (unique by their folded name); `conversation_labels` says which
 * conversation carries which, and goes with either.
 *
 * The search index holds no plaintext: `term_hash` is a keyed hash (HMAC-SHA-256 under the
 * workspace's search key, truncated) of one normalised word. `search_terms` has a row per word of a
 * message (`personal` marks words from an email, phone or card number inside the text, which roles
 * without personal-data access do not search); `search_visitor_terms` the words of a visitor's name
 * and email (and their prefixes). Both reference the row they were taken from with ON DELETE
 * CASCADE, so whatever deletes a message or a profile (erasure, retention, storage off, archiving)
 * deletes its index entries in the same statement.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('labels')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('colour', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('labels_name_once', ['workspace_id', 'name_key'])
    .execute();
  await db.schema
    .createTable('conversation_labels')
    .addColumn('conversation_id', 'text', (c) =>
      c.notNull().references('conversations.id').onDelete('cascade'),
    )
    .addColumn('label_id', 'text', (c) => c.notNull().references('labels.id').onDelete('cascade'))
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('added_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('conversation_labels_pk', ['conversation_id', 'label_id'])
    .execute();
  await db.schema
    .createIndex('conversation_labels_label')
    .on('conversation_labels')
    .columns(['label_id', 'conversation_id'])
    .execute();

  await db.schema
    .createTable('search_terms')
    .addColumn('message_id', 'text', (c) => c.notNull().references('messages.id').onDelete('cascade'))
    .addColumn('term_hash', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('conversation_id', 'text', (c) =>
      c.notNull().references('conversations.id').onDelete('cascade'),
    )
    .addColumn('personal', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('search_terms_pk', ['message_id', 'term_hash'])
    .execute();
  await db.schema
    .createIndex('search_terms_lookup')
    .on('search_terms')
    .columns(['workspace_id', 'term_hash', 'conversation_id'])
    .execute();
  await db.schema
    .createIndex('search_terms_conversation')
    .on('search_terms')
    .column('conversation_id')
    .execute();

  await db.schema
    .createTable('search_visitor_terms')
    .addColumn('visitor_id', 'text', (c) =>
      c.notNull().references('visitor_profiles.visitor_id').onDelete('cascade'),
    )
    .addColumn('term_hash', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addPrimaryKeyConstraint('search_visitor_terms_pk', ['visitor_id', 'term_hash'])
    .execute();
  await db.schema
    .createIndex('search_visitor_terms_lookup')
    .on('search_visitor_terms')
    .columns(['workspace_id', 'term_hash', 'visitor_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('search_visitor_terms').execute();
  await db.schema.dropTable('search_terms').execute();
  await db.schema.dropTable('conversation_labels').execute();
  await db.schema.dropTable('labels').execute();
}
