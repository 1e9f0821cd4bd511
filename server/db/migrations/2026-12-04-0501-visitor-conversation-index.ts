import type { Kysely } from 'kysely';

/**
 * A visitor's session finds their latest conversation on the widget (`visitor_id`, `widget_id`,
 * newest first). With an index on `visitor_id` alone, SQLite's planner without statistics took the
 * widget's index instead and walked every conversation of the widget (0.4 ms a session at 3,000
 * conversations, growing with the widget). The three columns answer it from the index; the index
 * still serves lookups by visitor alone (erasure, export).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('conversations_visitor').execute();
  await db.schema
    .createIndex('conversations_visitor')
    .on('conversations')
    .columns(['visitor_id', 'widget_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('conversations_visitor').execute();
  await db.schema.createIndex('conversations_visitor').on('conversations').columns(['visitor_id']).execute();
}
