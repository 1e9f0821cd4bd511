import { nowIso } from '../../platform/clock.js';
import type { Db } from '../../platform/db/schema.js';
import type { ChannelsTable } from '../../platform/db/schema-channels.js';
import type { AttachmentDeps } from '../attachments/store-attachment.js';
import { emailContactOf, noteEmailReceived } from '../channels/email-channel.js';
import { joinChannelConversation, numberedAnswer } from '../channels/receive-channel-message.js';
import { findConversationById } from '../conversations/lookups.js';
import type { MessageDeps } from '../conversations/post-message.js';
import { findConversationsOfMailKeys, insertChannelMail } from './email.repository.js';
import { verdictsOf } from './mail-authentication.js';
import { mailKeyOf, SUBJECT_PREFIX } from './mail-thread.js';
import type { InboundMail } from './read-inbound-mail.js';
import { receiveReply } from './receive-reply.js';

type Answer = Extract<InboundMail, { kind: 'answer' }>;

export interface ChannelMailDeps extends MessageDeps {
  db: Db;
  attachments: AttachmentDeps;
  /** The trusted relay's authserv-id (PARLEY_SMTP_AUTHSERV_ID); null: no verdict is trusted. */
  authservId: string | null;
}

/**
 * A customer's mail to an email channel joins a conversation through the one message command, as
 * the visitor that stands for the sender (channels/receive-channel-message.ts makes it on their
 * first mail). The conversation is the one the mail answers, when it names a mail of an open one
 * (In-Reply-To/References, or Parley's per-conversation reply address, `hint`); otherwise the
 * sender's open conversation on this channel, or a new one, whose first message starts with the
 * subject. Files go through the attachments module's rules (receive-reply.ts). The mail's
 * Message-ID and the trusted relay's verdicts are recorded with the message. A mail delivered again
 * is stored once.
 */
export async function receiveChannelMail(
  deps: ChannelMailDeps,
  o: { channel: ChannelsTable; mail: Answer; hint?: string },
): Promise<{ conversationId: string; seq: number; duplicate: boolean } | null> {
  const { channel, mail } = o;
  const envelope = mail.envelope;
  let conversationId = await threadOf(deps, channel, {
    direct: o.hint ? [o.hint] : [],
    answers: envelope.answers,
    from: envelope.from,
  });
  let text = mail.text;
  if (!conversationId) {
    // Nobody to answer (no From that parses): accepted and dropped, like a robot's mail.
    if (!envelope.from) return null;
    conversationId = (await joinChannelConversation(deps, { channel, sender: envelope.from, at: nowIso() }))
      .conversationId;
    if (envelope.subject) text = `${SUBJECT_PREFIX}${envelope.subject}\n\n${text}`;
  }
  // A bare "2" answers the bot's numbered buttons, as on the messaging platforms.
  const answer = await numberedAnswer(deps, conversationId, mail.text);
  const result = await receiveReply(deps, { conversationId, mail: { ...mail, text }, answer });
  const mailId = envelope.messageId ?? mail.clientId;
  const conversation = await findConversationById(deps.db, conversationId);
  if (conversation) {
    const key = await deps.vault.forVisitor(deps.db, conversation.workspace_id, conversation.visitor_id);
    await insertChannelMail(deps.db, {
      message_id: result.messageId,
      workspace_id: conversation.workspace_id,
      conversation_id: conversationId,
      direction: 'in',
      mail_key: await mailKeyOf(deps, conversation.workspace_id, mailId),
      mail_id: key.seal('email_channel_mails', 'mail_id', result.messageId, mailId),
      ...verdictsOf(envelope.authResults, deps.authservId),
      created_at: nowIso(),
    });
  }
  await noteEmailReceived(deps.db, channel.id);
  return { conversationId, seq: result.seq, duplicate: result.duplicate };
}

/**
 * The open email conversation of this channel's workspace that the mail answers, if any. The
 * conversation's reply address (`direct`) is a capability of its own, like the reply address of a
 * web conversation. A Message-ID is not: anyone copied on a thread has them. So a mail continues a
 * conversation it names by Message-ID only when it comes from that conversation's customer;
 * anyone else writing into the thread starts a conversation of their own.
 */
async function threadOf(
  deps: ChannelMailDeps,
  channel: ChannelsTable,
  o: { direct: string[]; answers: string[]; from: string | null },
): Promise<string | null> {
  const keys = await Promise.all(o.answers.map((id) => mailKeyOf(deps, channel.workspace_id, id)));
  const found = await findConversationsOfMailKeys(deps.db, channel.workspace_id, keys);
  const byKey = new Map(found.map((r) => [r.mail_key, r.conversation_id]));
  const named = keys.map((k) => byKey.get(k)).filter((c): c is string => !!c);
  const candidates = [
    ...o.direct.map((id) => ({ id, bySender: false })),
    ...named.map((id) => ({ id, bySender: true })),
  ];
  for (const { id, bySender } of candidates) {
    const conversation = await findConversationById(deps.db, id);
    // A closed conversation takes nothing more: the answer starts the customer's next one.
    if (
      conversation?.workspace_id !== channel.workspace_id ||
      conversation.channel !== 'email' ||
      conversation.widget_id !== channel.widget_id ||
      conversation.status === 'closed'
    )
      continue;
    if (bySender && (await emailContactOf(deps, conversation.visitor_id))?.address.toLowerCase() !== o.from)
      continue;
    return id;
  }
  return null;
}
