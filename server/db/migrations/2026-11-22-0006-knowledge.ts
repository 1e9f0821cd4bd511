import type { Kysely } from 'kysely';

// Knowledge base, structured message content, and the bot's per-widget answer settings.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('knowledge_articles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('questions', 'text', (c) => c.notNull()) // JSON array of strings
    .addColumn('tags', 'text', (c) => c.notNull()) // JSON array of strings
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('published', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('knowledge_articles_workspace')
    .on('knowledge_articles')
    .columns(['workspace_id', 'title'])
    .execute();

  // Bumped in the same transaction as every article change: a node whose in-memory index was
  // built at an older version rebuilds it before the next search.
  await db.schema
    .createTable('knowledge_versions')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey().references('workspaces.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();

  // JSON {parts?, actions?} for bot messages; JSON {seq, id} for a visitor's quick-reply click.
  await db.schema.alterTable('messages').addColumn('structured', 'text').execute();
  await db.schema.alterTable('messages').addColumn('action_ref', 'text').execute();

  await db.schema
    .alterTable('conversations')
    .addColumn('handoff_state', 'text', (c) => c.notNull().defaultTo('bot'))
    .execute();
  await db.schema.alterTable('conversations').addColumn('handoff_requested_at', 'text').execute();
  await db.schema
    .alterTable('conversations')
    .addColumn('bot_misses', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .alterTable('widgets')
    .addColumn('bot_min_confidence', 'integer', (c) => c.notNull().defaultTo(60))
    .execute();
  await db.schema
    .alterTable('widgets')
    .addColumn('bot_handoff_after_misses', 'integer', (c) => c.notNull().defaultTo(2))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('knowledge_versions').execute();
  await db.schema.dropTable('knowledge_articles').execute();
}
