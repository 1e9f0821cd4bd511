import type { Executor } from '../../platform/db/schema.js';
import type {
  ChannelContactsTable,
  ChannelDeliveriesTable,
  ChannelsTable,
} from '../../platform/db/schema-channels.js';

export async function insertChannel(db: Executor, row: ChannelsTable): Promise<void> {
  await db.insertInto('channels').values(row).execute();
}

export function findChannel(db: Executor, id: string) {
  return db.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The email channel that receives mail at this address (already lower-case), if any. */
export function findChannelByInboundAddress(db: Executor, address: string) {
  return db
    .selectFrom('channels')
    .selectAll()
    .where('inbound_address', '=', address)
    .where('kind', '=', 'email')
    .executeTakeFirst();
}

export function listChannels(db: Executor, workspaceId: string) {
  return db
    .selectFrom('channels')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function countChannels(db: Executor, workspaceId: string): Promise<number> {
  const row = await db
    .selectFrom('channels')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Removes a channel and its contacts' links; its conversations stay (they belong to their visitors). */
export async function deleteChannel(db: Executor, workspaceId: string, id: string): Promise<boolean> {
  const r = await db
    .deleteFrom('channels')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(r.numDeletedRows) === 0) return false;
  await db.deleteFrom('channel_contacts').where('channel_id', '=', id).execute();
  return true;
}

export async function markChannelSeen(db: Executor, id: string, at: string): Promise<void> {
  await db.updateTable('channels').set({ last_seen_at: at }).where('id', '=', id).execute();
}

export async function markChannelError(db: Executor, id: string, error: string, at: string): Promise<void> {
  await db
    .updateTable('channels')
    .set({ status: 'error', last_error: error, last_error_at: at })
    .where('id', '=', id)
    .execute();
}

export async function markChannelActive(db: Executor, id: string): Promise<void> {
  await db
    .updateTable('channels')
    .set({ status: 'active' })
    .where('id', '=', id)
    .where('status', '<>', 'active')
    .execute();
}

export function listSealedChannelSecrets(db: Executor) {
  return db.selectFrom('channels').select(['id', 'credentials', 'webhook_secret']).orderBy('id').execute();
}

/** Replaces the sealed values only if they are still those read: a change meanwhile wins. */
export async function replaceSealedChannelSecrets(
  db: Executor,
  from: { id: string; credentials: string; webhook_secret: string },
  to: { credentials: string; webhook_secret: string },
): Promise<boolean> {
  const r = await db
    .updateTable('channels')
    .set(to)
    .where('id', '=', from.id)
    .where('credentials', '=', from.credentials)
    .where('webhook_secret', '=', from.webhook_secret)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export function findContactBySender(db: Executor, channelId: string, senderIndex: string) {
  return db
    .selectFrom('channel_contacts')
    .selectAll()
    .where('channel_id', '=', channelId)
    .where('sender_index', '=', senderIndex)
    .executeTakeFirst();
}

export function findContactOfVisitor(db: Executor, visitorId: string) {
  return db.selectFrom('channel_contacts').selectAll().where('visitor_id', '=', visitorId).executeTakeFirst();
}

export async function insertContact(db: Executor, row: ChannelContactsTable): Promise<void> {
  await db.insertInto('channel_contacts').values(row).execute();
}

export async function touchContact(db: Executor, id: string, at: string): Promise<void> {
  await db
    .updateTable('channel_contacts')
    .set({ last_inbound_at: at })
    .where('id', '=', id)
    .where('last_inbound_at', '<', at)
    .execute();
}

export function findDelivery(db: Executor, messageId: string) {
  return db
    .selectFrom('channel_deliveries')
    .selectAll()
    .where('message_id', '=', messageId)
    .executeTakeFirst();
}

export async function insertDelivery(db: Executor, row: ChannelDeliveriesTable): Promise<void> {
  await db
    .insertInto('channel_deliveries')
    .values(row)
    .onConflict((oc) => oc.column('message_id').doNothing())
    .execute();
}

/** Erasure, retention: the rows of these conversations and of this visitor go with them. */
export async function deleteDeliveries(db: Executor, conversationIds: readonly string[]): Promise<void> {
  if (conversationIds.length === 0) return;
  await db.deleteFrom('channel_deliveries').where('conversation_id', 'in', conversationIds).execute();
}

export async function deleteContactsOfVisitor(db: Executor, visitorId: string): Promise<void> {
  await db.deleteFrom('channel_contacts').where('visitor_id', '=', visitorId).execute();
}

/** Contacts of a widget's channels whose customer has not written since `before`. */
export async function selectContactsQuietBefore(
  db: Executor,
  o: { widgetId: string; before: string; limit: number },
): Promise<string[]> {
  const rows = await db
    .selectFrom('channel_contacts')
    .innerJoin('channels', 'channels.id', 'channel_contacts.channel_id')
    .select('channel_contacts.id')
    .where('channels.widget_id', '=', o.widgetId)
    .where('channel_contacts.last_inbound_at', '<', o.before)
    .orderBy('channel_contacts.last_inbound_at')
    .limit(o.limit)
    .execute();
  return rows.map((r) => r.id);
}

/** Deletes these contacts unless their customer wrote meanwhile. */
export async function deleteContacts(db: Executor, ids: readonly string[], before: string): Promise<void> {
  if (ids.length === 0) return;
  await db
    .deleteFrom('channel_contacts')
    .where('id', 'in', ids)
    .where('last_inbound_at', '<', before)
    .execute();
}
