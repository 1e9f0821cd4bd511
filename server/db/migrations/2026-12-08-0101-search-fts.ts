import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../../platform/db/dialect.js';

/**
 * On SQLite the search index moves into FTS5. `search_terms` kept a row per word and word beginning
 * of a message (about 30), each in four B-trees; with real text every row landed on another page, so
 * the index cost several times the message's own write and most of the file. Now a message is one
 * row of `search_docs` (its conversation and workspace, going with the message by ON DELETE CASCADE)
 * and one document of `search_fts`, a contentless FTS5 table whose tokens are the same keyed hashes
 * (hex, `a` for a word anyone may search, `b` for one inside an email or number). A trigger deletes
 * the document with its `search_docs` row, and FTS5's `secure-delete` removes its tokens from the
 * index at once (not a tombstone until segments merge), so an erased message leaves no hash behind.
 *
 * What was indexed is indexed again: every message goes back on the search backlog, and the indexer
 * builds the new index in the background (a search first takes what is waiting). PostgreSQL keeps
 * `search_terms`, where its B-tree index serves.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // The backlog is taken in message id order (ids are time-ordered), so its age index goes: a stored
  // message writes one B-tree fewer. On SQLite the backlog becomes a WITHOUT ROWID table, whose rows
  // live in their primary key's B-tree (one write, not a table and an index).
  await db.schema.dropIndex('search_backlog_age').execute();
  if (dialectOf(db) !== 'sqlite') return;
  await sql`CREATE TABLE search_backlog_next (
    message_id TEXT PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
    conversation_id TEXT NOT NULL,
    workspace_id TEXT NOT NULL,
    created_at TEXT NOT NULL
  ) WITHOUT ROWID`.execute(db);
  await sql`INSERT INTO search_backlog_next SELECT message_id, conversation_id, workspace_id, created_at
    FROM search_backlog`.execute(db);
  await db.schema.dropTable('search_backlog').execute();
  await sql`ALTER TABLE search_backlog_next RENAME TO search_backlog`.execute(db);
  await sql`CREATE TABLE search_docs (
    doc INTEGER PRIMARY KEY,
    message_id TEXT NOT NULL UNIQUE REFERENCES messages(id) ON DELETE CASCADE,
    conversation_id TEXT NOT NULL,
    workspace_id TEXT NOT NULL
  )`.execute(db);
  await sql`CREATE VIRTUAL TABLE search_fts USING fts5(
    terms, content = '', contentless_delete = 1, tokenize = 'ascii', detail = none
  )`.execute(db);
  await sql`INSERT INTO search_fts (search_fts, rank) VALUES ('secure-delete', 1)`.execute(db);
  // The index's terms and how many documents hold each: what a check (or an operator) reads to see
  // that a deleted message's tokens are gone from the index itself, not only from results.
  await sql`CREATE VIRTUAL TABLE search_fts_vocab USING fts5vocab(search_fts, 'row')`.execute(db);
  await sql`CREATE TRIGGER search_docs_gone AFTER DELETE ON search_docs BEGIN
    DELETE FROM search_fts WHERE rowid = old.doc;
  END`.execute(db);
  await requeueIndexedMessages(db);
  await db.schema.dropTable('search_terms').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('search_backlog_age').on('search_backlog').column('created_at').execute();
  if (dialectOf(db) !== 'sqlite') return;
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
  await sql`DROP TRIGGER search_docs_gone`.execute(db);
  await sql`DROP TABLE search_fts_vocab`.execute(db);
  await sql`DROP TABLE search_fts`.execute(db);
  await db.schema.dropTable('search_docs').execute();
  await requeueIndexedMessages(db);
}

/** Every message the index takes (not the bot's) waits for the indexer again. */
async function requeueIndexedMessages(db: Kysely<any>): Promise<void> {
  await sql`INSERT INTO search_backlog (message_id, conversation_id, workspace_id, created_at)
    SELECT id, conversation_id, workspace_id, created_at FROM messages WHERE author_kind != 'bot'
    ON CONFLICT (message_id) DO NOTHING`.execute(db);
}
