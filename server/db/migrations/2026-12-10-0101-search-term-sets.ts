import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../../platform/db/dialect.js';

/**
 * On PostgreSQL a message's search terms become one row: `search_term_sets` holds the message's
 * tokens (fts-token.ts: the keyed hashes in hex, `a` for a word anyone may search, `b` for one inside
 * an email or number) as an array under a GIN index. `search_terms` kept a row per word and word
 * beginning (about 50 for a short message), each with three B-tree entries and three foreign-key
 * checks: at 1,000 messages a second that was most of the database server's CPU, and two nodes fell
 * behind the load. A GIN index takes the new entries into its pending list and merges them in bulk.
 *
 * The row goes with its message (ON DELETE CASCADE), as the term rows did, so erasure, retention and
 * storage off take it in the same statement. What was indexed is indexed again: every message goes
 * back on the search backlog and the indexer builds the new index in the background (a search first
 * takes what is waiting). SQLite keeps its FTS5 index (migration 2026-12-08-0101-search-fts).
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'sqlite') return;
  await sql`CREATE TABLE search_term_sets (
    message_id TEXT PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
    conversation_id TEXT NOT NULL,
    workspace_id TEXT NOT NULL,
    terms TEXT[] NOT NULL
  )`.execute(db);
  await sql`CREATE INDEX search_term_sets_terms ON search_term_sets USING gin (terms)`.execute(db);
  await requeueIndexedMessages(db);
  await db.schema.dropTable('search_terms').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'sqlite') return;
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
  await db.schema.dropTable('search_term_sets').execute();
  await requeueIndexedMessages(db);
}

/** Every message the index takes (not the bot's) waits for the indexer again. */
async function requeueIndexedMessages(db: Kysely<any>): Promise<void> {
  await sql`INSERT INTO search_backlog (message_id, conversation_id, workspace_id, created_at)
    SELECT id, conversation_id, workspace_id, created_at FROM messages WHERE author_kind != 'bot'
    ON CONFLICT (message_id) DO NOTHING`.execute(db);
}
