import type { Kysely } from 'kysely';

/**
 * Email as a channel. `channels.inbound_address`: the address customers write to (an email channel's
 * only; unique, since one SMTP listener serves every workspace). `email_channel_mails`: one row per
 * mail a channel conversation received or sent, keyed by the Parley message it carried: the keyed hash
 * of its Message-ID finds the conversation an answer belongs to, the Message-ID itself (sealed under
 * the visitor's key) threads Parley's replies, and the receiving relay's SPF, DKIM and DMARC verdicts
 * are kept for the agent to see. The row of a sent mail is also what makes its sending happen once.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('channels').addColumn('inbound_address', 'text').execute();
  await db.schema
    .createIndex('channels_inbound_address')
    .unique()
    .on('channels')
    .column('inbound_address')
    .execute();
  await db.schema
    .createTable('email_channel_mails')
    .addColumn('message_id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('mail_key', 'text', (c) => c.notNull())
    .addColumn('mail_id', 'text', (c) => c.notNull())
    .addColumn('spf', 'text')
    .addColumn('dkim', 'text')
    .addColumn('dmarc', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('email_channel_mails_key')
    .on('email_channel_mails')
    .columns(['workspace_id', 'mail_key'])
    .execute();
  await db.schema
    .createIndex('email_channel_mails_conversation')
    .on('email_channel_mails')
    .columns(['conversation_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('email_channel_mails').execute();
  await db.schema.dropIndex('channels_inbound_address').execute();
  await db.schema.alterTable('channels').dropColumn('inbound_address').execute();
}
