import { type Kysely, sql } from 'kysely';

/**
 * Voice and video calls (modules/calls). A call is a room bound to one conversation: `agent_conn` and
 * `visitor_conn` are the one socket of each side that joined it, so a second device cannot. A
 * conversation has at most one call that has not ended (the partial unique index). Call tokens are
 * stored hashed, bound to the call, the principal and the socket that asked, good once and briefly.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('calls')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('agent_user_id', 'text', (c) => c.notNull())
    .addColumn('media', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('agent_conn', 'text')
    .addColumn('visitor_conn', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('accepted_at', 'text')
    .addColumn('ended_at', 'text')
    .addColumn('end_reason', 'text')
    .execute();
  await db.schema
    .createIndex('calls_live')
    .on('calls')
    .column('conversation_id')
    .unique()
    .where(sql.ref('state'), '<>', 'ended')
    .execute();
  await db.schema.createIndex('calls_conversation').on('calls').column('conversation_id').execute();
  await db.schema
    .createIndex('calls_workspace_created')
    .on('calls')
    .columns(['workspace_id', 'created_at'])
    .execute();
  await db.schema
    .createTable('call_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('call_id', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('principal_kind', 'text', (c) => c.notNull())
    .addColumn('principal_id', 'text', (c) => c.notNull())
    .addColumn('connection_id', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema.createIndex('call_tokens_call').on('call_tokens').column('call_id').execute();
  await db.schema
    .createIndex('call_tokens_conversation')
    .on('call_tokens')
    .column('conversation_id')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('call_tokens').execute();
  await db.schema.dropTable('calls').execute();
}
