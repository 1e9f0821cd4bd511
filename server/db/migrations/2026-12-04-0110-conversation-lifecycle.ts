import type { Kysely } from 'kysely';

/**
 * The conversation's lifecycle: besides `open` and `closed`, a conversation may be `pending`
 * (waiting on the visitor), `snoozed` (until a time, or until the visitor's next message) or
 * `resolved`. What happened to it (resolved with a code, reopened, snoozed) is kept as events for
 * the transcript; a conversation started after a closed one names it. Resolution codes get a
 * per-workspace setting (required or not).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('conversations').addColumn('snoozed_until', 'text').execute();
  await db.schema.alterTable('conversations').addColumn('status_changed_at', 'text').execute();
  await db.schema.alterTable('conversations').addColumn('previous_conversation_id', 'text').execute();
  // The snooze waker reads the conversations whose snooze has passed, oldest first.
  await db.schema
    .createIndex('conversations_snoozed')
    .on('conversations')
    .columns(['status', 'snoozed_until'])
    .execute();

  await db.schema
    .createTable('conversation_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) =>
      c.notNull().references('conversations.id').onDelete('cascade'),
    )
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('detail', 'text')
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('conversation_events_conversation')
    .on('conversation_events')
    .columns(['conversation_id', 'occurred_at'])
    .execute();

  await db.schema
    .createTable('resolution_settings')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey())
    .addColumn('code_required', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('resolution_settings').ifExists().execute();
  await db.schema.dropTable('conversation_events').ifExists().execute();
  await db.schema.dropIndex('conversations_snoozed').ifExists().execute();
  for (const c of ['previous_conversation_id', 'status_changed_at', 'snoozed_until'])
    await db.schema.alterTable('conversations').dropColumn(c).execute();
}
