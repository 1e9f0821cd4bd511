import { randomUUID } from 'node:crypto';
import type { Executor } from '../../platform/db/schema.js';
import type { ChannelContactsTable } from '../../platform/db/schema-channels.js';
import type { Vault } from '../encryption/vault.js';
import { insertContact } from './channel.repository.js';

/**
 * Ties a platform account to the visitor that stands for it on a channel: the keyed hash finds the
 * visitor on their next message, the id itself is sealed under the visitor's key (so erasure shreds it).
 */
export async function linkChannelContact(
  db: Executor,
  vault: Vault,
  o: { workspaceId: string; channelId: string; visitorId: string; sender: string; at: string },
): Promise<ChannelContactsTable> {
  const id = randomUUID();
  const key = await vault.forVisitor(db, o.workspaceId, o.visitorId);
  const contact: ChannelContactsTable = {
    id,
    workspace_id: o.workspaceId,
    channel_id: o.channelId,
    visitor_id: o.visitorId,
    sender_index: await vault.channelSenderIndex(db, o.workspaceId, o.channelId, o.sender),
    sender: key.seal('channel_contacts', 'sender', id, o.sender),
    last_inbound_at: o.at,
    created_at: o.at,
  };
  await insertContact(db, contact);
  return contact;
}
