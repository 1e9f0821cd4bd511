import type { Kysely } from 'kysely';

/**
 * Channels: conversations that arrive through a messaging platform instead of the web widget.
 * `conversations.channel` says which (web for every conversation before this). `channels`: a
 * workspace's connections, each bound to a widget (whose bot, hours, team and retention apply), with
 * the platform's credentials and the webhook secret sealed under the master key ring.
 * `channel_contacts`: one visitor per external sender of a channel, found by a keyed hash of the
 * platform's sender id; the id itself is sealed under the visitor's data key (erasure shreds it).
 * `channel_deliveries`: which stored messages went out, so a retried turn never sends twice.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('conversations')
    .addColumn('channel', 'text', (c) => c.notNull().defaultTo('web'))
    .execute();
  await db.schema
    .createTable('channels')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('widget_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('credentials', 'text', (c) => c.notNull())
    .addColumn('webhook_secret', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('last_error_at', 'text')
    .addColumn('last_seen_at', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('channels_workspace').on('channels').column('workspace_id').execute();
  await db.schema
    .createTable('channel_contacts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('visitor_id', 'text', (c) => c.notNull())
    .addColumn('sender_index', 'text', (c) => c.notNull())
    .addColumn('sender', 'text', (c) => c.notNull())
    .addColumn('last_inbound_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('channel_contacts_sender', ['channel_id', 'sender_index'])
    .execute();
  await db.schema
    .createIndex('channel_contacts_visitor')
    .on('channel_contacts')
    .column('visitor_id')
    .execute();
  await db.schema
    .createTable('channel_deliveries')
    .addColumn('message_id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('platform_message_id', 'text')
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('channel_deliveries_conversation')
    .on('channel_deliveries')
    .column('conversation_id')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('channel_deliveries').execute();
  await db.schema.dropTable('channel_contacts').execute();
  await db.schema.dropTable('channels').execute();
  await db.schema.alterTable('conversations').dropColumn('channel').execute();
}
