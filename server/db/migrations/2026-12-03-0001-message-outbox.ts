import type { Kysely } from 'kysely';

/**
 * The outbox of the message stream: a turn a durable subscriber owes a stored message (the bot's
 * reply to a visitor) is written in the message's own commit, leased by the node that stored it,
 * and deleted once done. A node that dies leaves its lease to expire; another node (or the same one
 * after restart) takes the turn then. One row per subscriber and message, so a turn is owed once.
 *
 * `bot_listening` marks a conversation handed to people in which the bot still waits for the
 * visitor (an after-hours email offer), so the send path knows without another read.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('message_outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subscriber', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('message_outbox_once', ['subscriber', 'message_id'])
    .execute();
  await db.schema.createIndex('message_outbox_due').on('message_outbox').columns(['lease_until']).execute();
  await db.schema
    .createIndex('message_outbox_conversation')
    .on('message_outbox')
    .columns(['conversation_id', 'subscriber', 'seq'])
    .execute();
  await db.schema
    .alterTable('conversations')
    .addColumn('bot_listening', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db
    .updateTable('conversations')
    .set({ bot_listening: 1 })
    .where('id', 'in', (eb: any) =>
      eb.selectFrom('flow_runs').select('conversation_id').where('awaiting', '=', 'after_hours_email'),
    )
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('conversations').dropColumn('bot_listening').execute();
  await db.schema.dropTable('message_outbox').execute();
}
