import type { Kysely } from 'kysely';

/**
 * The queue is read oldest first with the id as tie-break (round-robin and the queue view). With the
 * id in the index, that read stops at its limit instead of sorting every queued query each time.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('queries_queue').execute();
  await db.schema
    .createIndex('queries_queue')
    .on('queries')
    .columns(['workspace_id', 'state', 'created_at', 'id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('queries_queue').execute();
  await db.schema
    .createIndex('queries_queue')
    .on('queries')
    .columns(['workspace_id', 'state', 'created_at'])
    .execute();
}
