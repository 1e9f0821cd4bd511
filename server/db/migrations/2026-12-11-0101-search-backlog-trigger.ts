import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../../platform/db/dialect.js';

/**
 * A stored message goes on the search backlog by a trigger on `messages`, not by one more statement
 * in the message's transaction: on PostgreSQL that statement was a round trip of every send, on
 * SQLite a call out of and back into the database on the event loop. The row is the same, written in
 * the same commit, so a message that is not stored is never indexed and one that is stored is
 * indexed even if its node dies at once. The condition is `isIndexedAuthor` (search/index-policy.ts):
 * the bot's messages are not indexed.
 *
 * On PostgreSQL the trigger fires at commit (a deferred constraint trigger) and skips a row already
 * there: during a rolling upgrade a node of the previous version still writes the row itself, earlier
 * in the same transaction, and its send must not fail. The function keeps the schema it was created
 * in, whatever the caller's search_path.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'sqlite') {
    await sql`CREATE TRIGGER messages_search_backlog AFTER INSERT ON messages
      WHEN new.author_kind <> 'bot' BEGIN
      INSERT OR IGNORE INTO search_backlog (message_id, conversation_id, workspace_id, created_at)
        VALUES (new.id, new.conversation_id, new.workspace_id, new.created_at);
    END`.execute(db);
    return;
  }
  await sql`CREATE FUNCTION messages_search_backlog() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS $$
    BEGIN
      -- At commit the message may be gone again (deleted in its own transaction): then nothing waits.
      INSERT INTO search_backlog (message_id, conversation_id, workspace_id, created_at)
        SELECT id, conversation_id, workspace_id, created_at FROM messages WHERE id = NEW.id
        ON CONFLICT (message_id) DO NOTHING;
      RETURN NULL;
    END $$`.execute(db);
  await sql`CREATE CONSTRAINT TRIGGER messages_search_backlog AFTER INSERT ON messages
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.author_kind <> 'bot')
    EXECUTE FUNCTION messages_search_backlog()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'sqlite') {
    await sql`DROP TRIGGER messages_search_backlog`.execute(db);
    return;
  }
  await sql`DROP TRIGGER messages_search_backlog ON messages`.execute(db);
  await sql`DROP FUNCTION messages_search_backlog()`.execute(db);
}
