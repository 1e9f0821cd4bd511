import type { FastifyBaseLogger } from 'fastify';
import type { ChannelsConfig } from '../../config-channels.js';
import { nowIso } from '../../platform/clock.js';
import type { Db } from '../../platform/db/schema.js';
import { findConversationById, findMessageById } from '../conversations/lookups.js';
import type { OwedTurn } from '../conversations/message-stream.js';
import { openMessageRow } from '../encryption/message-cipher.js';
import type { Vault } from '../encryption/vault.js';
import { adapterOf } from './adapters.js';
import {
  findChannel,
  findContactOfVisitor,
  findDelivery,
  insertDelivery,
  markChannelActive,
  markChannelError,
} from './channel.repository.js';
import { openCredentials } from './channel-secrets.js';
import { PlatformError } from './platform-request.js';
import { replyText, splitText } from './reply-text.js';

export interface DeliveryDeps {
  db: Db;
  vault: Vault;
  config: ChannelsConfig;
  log: FastifyBaseLogger;
  /** Tries within one turn before it is left to the outbox's later retry (default 3). */
  tries?: number;
  /** Pause before the nth retry within a turn (default 250 ms, doubling). */
  backoffMs?: (retry: number) => number;
}

/**
 * Sends one stored team or bot message of a channel conversation to the platform: the durable turn
 * of the `channel` subscriber (channel-plugin.ts), leased, retried by the outbox with backoff when it
 * throws. The message id is the idempotency key: a message recorded in `channel_deliveries` is never
 * sent again, whichever node or attempt gets the turn. A refusal that another try cannot fix (a
 * revoked token, a closed window) is recorded on the channel (status `error`, last error) and the turn
 * ends; a failure that may pass (network, 429, 5xx) is tried again here, then by the outbox.
 */
export async function deliverReply(
  deps: DeliveryDeps,
  turn: OwedTurn,
): Promise<'sent' | 'skipped' | 'refused'> {
  if (await findDelivery(deps.db, turn.messageId)) return 'skipped';
  const stored = turn.stored ?? (await readStored(deps, turn));
  if (!stored) return 'skipped';
  const contact = await findContactOfVisitor(deps.db, stored.conversation.visitor_id);
  if (!contact) return 'skipped';
  const channel = await findChannel(deps.db, contact.channel_id);
  // A removed channel has nowhere to send: its conversations stay readable in the inbox.
  if (!channel) return 'skipped';
  const key = await deps.vault.forVisitor(deps.db, contact.workspace_id, contact.visitor_id);
  const to = key.open('channel_contacts', 'sender', contact.id, contact.sender);
  const adapter = adapterOf(channel.kind);
  // Email conversations are mailed by the email module's own subscriber.
  if (!adapter) return 'skipped';
  const credentials = openCredentials(deps.vault.ring, channel.id, channel.credentials);
  const parts = splitText(replyText(stored.message), adapter.maxTextChars);
  const tries = deps.tries ?? 3;
  let platformMessageId: string | null = null;
  for (let attempt = 1; ; attempt++) {
    try {
      for (const text of parts)
        ({ platformMessageId } = await adapter.send(deps.config, { credentials, to, text }));
      break;
    } catch (err) {
      const reason = err instanceof PlatformError ? err.message : 'the platform could not be reached';
      const retryable = !(err instanceof PlatformError) || err.retryable;
      await markChannelError(deps.db, channel.id, reason, nowIso());
      deps.log.warn({ channelId: channel.id, kind: channel.kind, attempt, reason }, 'channel send failed');
      if (!retryable) return 'refused';
      if (attempt >= tries) throw new Error(`channel send failed: ${reason}`);
      await sleep(deps.backoffMs?.(attempt) ?? 250 * 2 ** (attempt - 1));
    }
  }
  await insertDelivery(deps.db, {
    message_id: stored.message.id,
    workspace_id: stored.message.workspace_id,
    conversation_id: stored.message.conversation_id,
    channel_id: channel.id,
    platform_message_id: platformMessageId,
    sent_at: nowIso(),
  });
  await markChannelActive(deps.db, channel.id);
  return 'sent';
}

/** The message a late turn is for, opened; null once it is gone (erased, expired). */
async function readStored(deps: Pick<DeliveryDeps, 'db' | 'vault'>, turn: OwedTurn) {
  const row = await findMessageById(deps.db, turn.messageId);
  if (!row) return null;
  const key = await deps.vault.forConversation(deps.db, turn.conversationId);
  const conversation = await findConversationById(deps.db, turn.conversationId);
  if (!key || !conversation) return null;
  return { message: openMessageRow(key, row), conversation };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
