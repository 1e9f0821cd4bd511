import type { Kysely } from 'kysely';

/**
 * Messages waiting for the search index. Indexing in the message's own transaction wrote a dozen
 * rows at random places of the index per message, and every commit group wrote those pages out
 * again: it was most of the message path's cost. The message's transaction now writes one row
 * here (a small, hot table), and the indexer (search/search-indexer.ts) takes them in batches,
 * where one write of an index page serves many messages. Rows go with their message.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('search_backlog')
    .addColumn('message_id', 'text', (c) => c.primaryKey().references('messages.id').onDelete('cascade'))
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('search_backlog_age').on('search_backlog').column('created_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('search_backlog').execute();
}
