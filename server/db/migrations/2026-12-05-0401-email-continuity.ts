import type { Kysely } from 'kysely';

/**
 * Replies by email. `email_threads`: per conversation, since when an agent's reply waits to be mailed
 * and up to which seq replies were mailed (the mail job claims a batch by moving that seq, so two
 * nodes never send it twice). `email_deliveries`: what was mailed, as seq ranges. `email_opt_outs`:
 * visitors who unsubscribed. No addresses are stored here: the visitor's profile holds the email,
 * sealed; mail is built from it when sent.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('email_threads')
    .addColumn('conversation_id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('visitor_id', 'text', (c) => c.notNull())
    .addColumn('pending_since', 'text')
    .addColumn('mailed_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('email_threads_pending').on('email_threads').column('pending_since').execute();
  await db.schema.createIndex('email_threads_visitor').on('email_threads').column('visitor_id').execute();
  await db.schema
    .createTable('email_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('from_seq', 'integer', (c) => c.notNull())
    .addColumn('to_seq', 'integer', (c) => c.notNull())
    .addColumn('requested_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('email_deliveries_conversation')
    .on('email_deliveries')
    .columns(['conversation_id', 'created_at'])
    .execute();
  await db.schema
    .createTable('email_opt_outs')
    .addColumn('visitor_id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('email_opt_outs').execute();
  await db.schema.dropTable('email_deliveries').execute();
  await db.schema.dropTable('email_threads').execute();
}
