import type { Kysely } from 'kysely';

/**
 * The seq of the visitor's latest message, kept on the conversation by the seq's own UPDATE. A
 * visitor has read a conversation up to what they wrote, and until now every visitor message also
 * upserted the visitor's row in `read_cursors` to say so, one more write in each message's
 * transaction. The visitor's cursor is now the further of that row (moved by receipts) and this.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('conversations')
    .addColumn('last_visitor_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('conversations').dropColumn('last_visitor_seq').execute();
}
