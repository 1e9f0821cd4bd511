import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config.js';
import { nowIso } from '../../platform/clock.js';
import type { Db, MessagesTable } from '../../platform/db/schema.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { emailContactOf, noteEmailFailed, noteEmailSent } from '../channels/email-channel.js';
import { replyText } from '../channels/reply-text.js';
import { findConversationById, findMessageById } from '../conversations/lookups.js';
import type { OwedTurn } from '../conversations/message-stream.js';
import { openMessageRow } from '../encryption/message-cipher.js';
import type { Vault } from '../encryption/vault.js';
import { escapeHtml } from './compose-mail.js';
import { findChannelMail, insertChannelMail, listChannelMails } from './email.repository.js';
import { mailKeyOf, subjectOf } from './mail-thread.js';
import { replyAddressOf } from './reply-address.js';

export interface ChannelMailerDeps {
  db: Db;
  vault: Vault;
  mailer: Mailer;
  config: Pick<Config, 'publicUrl' | 'email'>;
  log: FastifyBaseLogger;
}

/** How many earlier mails of the thread a reply names in References. */
const THREAD_DEPTH = 20;

/**
 * Mails one stored team or bot message of an email channel conversation to the customer: the
 * durable turn of the `email-channel` subscriber (email-plugin.ts), leased and retried by the outbox
 * when it throws. The message id is the idempotency key: its Message-ID is derived from it and a
 * message with a row in `email_channel_mails` is never mailed again, whichever node or attempt gets
 * the turn. The mail answers the thread (In-Reply-To the newest mail, References the ones before,
 * "Re:" the subject), Reply-To is the conversation's reply address, and buttons become numbered
 * lines the customer answers with the number. The bot's messages say Auto-Submitted: auto-replied
 * (RFC 3834), so the customer's own auto-responder stays silent.
 */
export async function deliverChannelMail(
  deps: ChannelMailerDeps,
  turn: OwedTurn,
): Promise<'sent' | 'skipped' | 'refused'> {
  if (await findChannelMail(deps.db, turn.messageId)) return 'skipped';
  const conversation = await findConversationById(deps.db, turn.conversationId);
  const row = await findMessageById(deps.db, turn.messageId);
  if (!conversation || !row) return 'skipped';
  const target = await emailContactOf(deps, conversation.visitor_id);
  // A removed channel has nowhere to send: its conversations stay readable in the inbox.
  if (!target) return 'skipped';
  const { channel } = target;
  if (deps.mailer.kind !== 'smtp') {
    await noteEmailFailed(deps.db, channel.id, 'Replies need an SMTP server (PARLEY_SMTP_URL).');
    return 'refused';
  }
  const key = await deps.vault.forVisitor(deps.db, conversation.workspace_id, conversation.visitor_id);
  const message = turn.stored?.message ?? openMessageRow(key, row);
  const thread = await listChannelMails(deps.db, conversation.id, THREAD_DEPTH);
  const ids = thread
    .reverse()
    .map((m) => `<${key.open('email_channel_mails', 'mail_id', m.message_id, m.mail_id)}>`);
  const subject = await subjectOfThread(deps, key, thread);
  const host = new URL(deps.config.publicUrl).hostname;
  const mailId = `${message.id}@${host}`;
  const domain = deps.config.email.replyDomain;
  const replyTo = domain
    ? await replyAddressOf(deps, {
        workspaceId: conversation.workspace_id,
        conversationId: conversation.id,
        domain,
      })
    : (channel.inbound_address ?? undefined);
  const text = replyText(message);
  try {
    await deps.mailer.deliver({
      to: target.address,
      subject: subject ? `Re: ${subject.replace(/^(re:\s*)+/i, '')}` : channel.name,
      text,
      html: `<!doctype html><html><body><p>${escapeHtml(text).replace(/\n/g, '<br>')}</p></body></html>`,
      ...(replyTo ? { replyTo } : {}),
      messageId: `<${mailId}>`,
      headers: {
        ...(ids.length > 0 ? { 'In-Reply-To': ids.at(-1) as string, References: ids.join(' ') } : {}),
        ...(message.author_kind === 'bot'
          ? { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' }
          : {}),
      },
    });
  } catch (err) {
    const reason = 'The SMTP server did not take the reply.';
    await noteEmailFailed(deps.db, channel.id, reason);
    deps.log.warn({ channelId: channel.id, err: (err as Error).message }, 'email channel send failed');
    throw new Error(reason);
  }
  await insertChannelMail(deps.db, {
    message_id: message.id,
    workspace_id: conversation.workspace_id,
    conversation_id: conversation.id,
    direction: 'out',
    mail_key: await mailKeyOf(deps, conversation.workspace_id, mailId),
    mail_id: key.seal('email_channel_mails', 'mail_id', message.id, mailId),
    spf: null,
    dkim: null,
    dmarc: null,
    created_at: nowIso(),
  });
  await noteEmailSent(deps.db, channel.id);
  return 'sent';
}

/** The subject of the thread's first mail from the customer that started it (stored at its head). */
async function subjectOfThread(
  deps: Pick<ChannelMailerDeps, 'db'>,
  key: Parameters<typeof openMessageRow>[0],
  thread: Array<{ message_id: string; direction: string }>,
): Promise<string | null> {
  for (const mail of thread) {
    if (mail.direction !== 'in') continue;
    const row = await findMessageById(deps.db, mail.message_id);
    const subject = row ? subjectOf((openMessageRow(key, row) as MessagesTable).body) : null;
    if (subject) return subject;
  }
  return null;
}
