import { nowIso } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/schema.js';
import type { ChannelsTable } from '../../platform/db/schema-channels.js';
import type { Vault } from '../encryption/vault.js';
import {
  findChannel,
  findChannelByInboundAddress,
  findContactOfVisitor,
  markChannelActive,
  markChannelError,
  markChannelSeen,
} from './channel.repository.js';

/**
 * What the email module asks of channels: which email channel an address is, where a conversation's
 * customer is written to, and the channel's status as mail comes and goes. Mail itself (the SMTP
 * listener, the mailer, threading) stays in email/.
 */
export async function emailChannelOfAddress(db: Executor, address: string): Promise<ChannelsTable | null> {
  const at = address.lastIndexOf('@');
  if (at < 1 || address.length > 254) return null;
  return (await findChannelByInboundAddress(db, address.toLowerCase())) ?? null;
}

/** The email channel a visitor wrote through and their address (opened for this mail only). */
export async function emailContactOf(
  deps: { db: Executor; vault: Vault },
  visitorId: string,
): Promise<{ channel: ChannelsTable; address: string } | null> {
  const contact = await findContactOfVisitor(deps.db, visitorId);
  if (!contact) return null;
  const channel = await findChannel(deps.db, contact.channel_id);
  if (channel?.kind !== 'email') return null;
  const key = await deps.vault.forVisitor(deps.db, contact.workspace_id, contact.visitor_id);
  return { channel, address: key.open('channel_contacts', 'sender', contact.id, contact.sender) };
}

export async function noteEmailReceived(db: Executor, channelId: string): Promise<void> {
  await markChannelSeen(db, channelId, nowIso());
}

export async function noteEmailSent(db: Executor, channelId: string): Promise<void> {
  await markChannelActive(db, channelId);
}

/** A reply that could not be mailed: the channel shows it until a mail goes out again. */
export async function noteEmailFailed(db: Executor, channelId: string, reason: string): Promise<void> {
  await markChannelError(db, channelId, reason, nowIso());
}
