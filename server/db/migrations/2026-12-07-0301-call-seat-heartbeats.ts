import type { Kysely } from 'kysely';

/**
 * When each side's socket last said it still sits in the call. The node holding a seat renews it
 * while the socket is open; a node that dies stops renewing, and the call sweep ends a call whose
 * seat went stale as `lost` (modules/calls/sweep-calls.ts), so no call stays live in the table
 * because the node that held it was killed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('calls').addColumn('agent_seen_at', 'text').execute();
  await db.schema.alterTable('calls').addColumn('visitor_seen_at', 'text').execute();
  await db.schema.createIndex('calls_state_created').on('calls').columns(['state', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('calls_state_created').execute();
  await db.schema.alterTable('calls').dropColumn('visitor_seen_at').execute();
  await db.schema.alterTable('calls').dropColumn('agent_seen_at').execute();
}
