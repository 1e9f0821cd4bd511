import type { Executor } from '../../platform/db/schema.js';
import type { VisitorKey } from '../encryption/visitor-key.js';
import { findContactOfVisitor } from './channel.repository.js';

/** The data-subject export's part: the platform account the visitor wrote from, opened. */
export async function exportChannelContact(db: Executor, key: VisitorKey) {
  const contact = await findContactOfVisitor(db, key.visitorId);
  if (!contact) return null;
  return {
    id: contact.id,
    channelId: contact.channel_id,
    sender: key.open('channel_contacts', 'sender', contact.id, contact.sender),
    lastInboundAt: contact.last_inbound_at,
  };
}
