import { createHash } from 'node:crypto';
import { LIMITS } from '../../../protocol/limits.js';
import type { ActionRef, StructuredContent } from '../../../protocol/structured.js';
import type { ChannelContactsTable, ChannelsTable } from '../../platform/db/schema-channels.js';
import { isUniqueViolation } from '../../platform/db/unique-violation.js';
import { createConversation } from '../conversations/create-conversation.js';
import {
  findLastSeqs,
  findLatestClosedConversation,
  findOpenConversationOfVisitor,
  listMessagesAfter,
} from '../conversations/lookups.js';
import { type MessageDeps, postMessage } from '../conversations/post-message.js';
import { findVisitorInWorkspace } from '../visitors/lookups.js';
import { startChannelVisitor } from '../visitors/start-channel-visitor.js';
import { type InboundMessage, UNSUPPORTED_TEXT } from './adapter.js';
import { findContactBySender, touchContact } from './channel.repository.js';
import { linkChannelContact } from './link-channel-contact.js';

const LABELS: Record<ChannelsTable['kind'], string> = {
  email: 'Email',
  telegram: 'Telegram',
  whatsapp: 'WhatsApp',
  messenger: 'Messenger',
  instagram: 'Instagram',
};

type Joined = { contact: ChannelContactsTable; conversationId: string; visitorName: string };

/** The client id of an inbound message: the same platform event always gives the same one. */
export function inboundClientId(channelId: string, eventId: string): string {
  return `ch_${createHash('sha256').update(`${channelId}\n${eventId}`, 'utf8').digest('base64url').slice(0, 40)}`;
}

/**
 * A customer's message from a platform joins the conversation of the visitor that stands for the
 * sender on this channel (made on their first message), through the one message command as that
 * visitor: the bot, flows, handoff, assignment, confinement, masking, retention, erasure and export
 * treat it as a web visitor's. A redelivered event has the same client id, so it is stored once.
 * A reply that is just the number of a button the bot offered (buttons go out as numbered lines)
 * answers that button.
 */
export async function receiveChannelMessage(
  deps: MessageDeps,
  o: { channel: ChannelsTable; inbound: InboundMessage },
): Promise<{ conversationId: string; seq: number; duplicate: boolean }> {
  const { channel, inbound } = o;
  const { contact, conversationId, visitorName } = await joinChannelConversation(deps, {
    channel,
    sender: inbound.sender,
    at: inbound.at,
  });
  const answer = await numberedAnswer(deps, conversationId, inbound.text);
  const result = await postMessage(deps, {
    conversationId,
    author: { kind: 'visitor', id: contact.visitor_id, name: visitorName },
    clientId: inboundClientId(channel.id, inbound.eventId),
    body: answer?.label ?? storableText(inbound.text),
    ...(answer ? { action: answer.ref } : {}),
  });
  return { conversationId, seq: result.message.seq, duplicate: result.duplicate };
}

/**
 * The visitor that stands for a sender on a channel (made, with its contact, on their first message)
 * and their open conversation there, or a new one. Email asks for it too, for mail that answers no
 * thread Parley knows.
 */
export async function joinChannelConversation(
  deps: Pick<MessageDeps, 'db' | 'vault'>,
  o: { channel: ChannelsTable; sender: string; at: string },
): Promise<Joined> {
  const index = await deps.vault.channelSenderIndex(deps.db, o.channel.workspace_id, o.channel.id, o.sender);
  try {
    return await joinConversation(deps, { ...o, index });
  } catch (err) {
    // The same new sender's two first messages at once: the other made the contact; join it.
    if (!isUniqueViolation(err)) throw err;
    return joinConversation(deps, { ...o, index });
  }
}

async function joinConversation(
  deps: Pick<MessageDeps, 'db' | 'vault'>,
  o: { channel: ChannelsTable; sender: string; at: string; index: string },
): Promise<Joined> {
  const { channel } = o;
  const inbound = { sender: o.sender, at: o.at };
  return deps.db.transaction().execute(async (trx) => {
    let contact = await findContactBySender(trx, channel.id, o.index);
    let visitorName: string;
    if (contact) {
      await touchContact(trx, contact.id, inbound.at);
      const visitor = await findVisitorInWorkspace(trx, channel.workspace_id, contact.visitor_id);
      visitorName = visitor?.display_name ?? LABELS[channel.kind];
    } else {
      const visitor = await startChannelVisitor(trx, {
        workspaceId: channel.workspace_id,
        widgetId: channel.widget_id,
        label: LABELS[channel.kind],
        at: inbound.at,
      });
      visitorName = visitor.name;
      contact = await linkChannelContact(trx, deps.vault, {
        workspaceId: channel.workspace_id,
        channelId: channel.id,
        visitorId: visitor.id,
        sender: inbound.sender,
        at: inbound.at,
      });
    }
    const open = await findOpenConversationOfVisitor(trx, contact.visitor_id, channel.widget_id);
    const conversation =
      open ??
      (await createConversation({
        db: trx,
        workspaceId: channel.workspace_id,
        widgetId: channel.widget_id,
        visitorId: contact.visitor_id,
        channel: channel.kind,
        previousConversationId: await findLatestClosedConversation(
          trx,
          contact.visitor_id,
          channel.widget_id,
        ),
      }));
    return { contact, conversationId: conversation.id, visitorName };
  });
}

/** "2" right after a bot message with buttons: its second button, as if pressed. Email asks too. */
export async function numberedAnswer(
  deps: Pick<MessageDeps, 'db'>,
  conversationId: string,
  text: string,
): Promise<{ ref: ActionRef; label: string } | null> {
  const match = /^\s*(\d{1,2})\s*[.)]?\s*$/.exec(text);
  if (!match) return null;
  const lastSeq = (await findLastSeqs(deps.db, [conversationId])).get(conversationId) ?? 0;
  const [last] = await listMessagesAfter(deps.db, { conversationId, afterSeq: lastSeq - 1, limit: 1 });
  if (last?.author_kind !== 'bot' || !last.structured) return null;
  const actions = (JSON.parse(last.structured) as StructuredContent).actions ?? [];
  const action = actions[Number(match[1]) - 1];
  return action ? { ref: { seq: last.seq, id: action.id }, label: action.label } : null;
}

/**
 * The platforms allow a little more text than a Parley message holds (Telegram and WhatsApp 4096
 * characters): a longer one is cut with a note rather than refused, since a refused webhook is
 * delivered again and again. An empty one (a platform's odd event) says what it was.
 */
export function storableText(text: string): string {
  if (text.trim() === '') return UNSUPPORTED_TEXT;
  if (text.length <= LIMITS.maxMessageChars) return text;
  const note = '… [cut: the message was longer than a chat message may be]';
  return `${text.slice(0, LIMITS.maxMessageChars - note.length)}${note}`;
}
