import { randomUUID } from 'node:crypto';
import type { Config } from '../../config.js';
import { nowIso } from '../../platform/clock.js';
import type { Db } from '../../platform/db/schema.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { findConversationById, listMessagesAfter } from '../conversations/lookups.js';
import { openMessageRow } from '../encryption/message-cipher.js';
import type { Vault } from '../encryption/vault.js';
import { findProfile } from '../visitors/lookups.js';
import { isLive, openProfile } from '../visitors/visitor-profile-codec.js';
import { composeMail, type MailKind, type TranscriptLine } from './compose-mail.js';
import { insertDelivery, isOptedOut } from './email.repository.js';
import { replyAddressOf, unsubscribeTokenOf } from './reply-address.js';

export interface EmailDeps {
  db: Db;
  vault: Vault;
  mailer: Mailer;
  config: Pick<Config, 'publicUrl' | 'email'>;
}

/** How many messages a mail shows, ending with the newest it carries. */
const TRANSCRIPT_LINES = 50;
const ADDRESS = /^[^\s@<>()",;:\\]+@[^\s@<>()",;:\\]+\.[^\s@<>()",;:\\]+$/;

export interface MailTarget {
  email: string;
  workspaceId: string;
  visitorId: string;
  /** The language the visitor's widget showed in this conversation; null: from before languages. */
  language: string | null;
}

/** Where a visitor's mail goes, or why it cannot: no address (or an expired one), or they opted out. */
export async function mailTargetOf(
  deps: Pick<EmailDeps, 'db' | 'vault'>,
  conversationId: string,
): Promise<MailTarget | { unavailable: 'no_address' | 'opted_out' }> {
  const conversation = await findConversationById(deps.db, conversationId);
  if (!conversation) return { unavailable: 'no_address' };
  if (await isOptedOut(deps.db, conversation.visitor_id)) return { unavailable: 'opted_out' };
  const row = await findProfile(deps.db, conversation.visitor_id);
  if (!row || !isLive(row, nowIso())) return { unavailable: 'no_address' };
  const key = await deps.vault.forVisitor(deps.db, conversation.workspace_id, conversation.visitor_id);
  const email = openProfile(key, row).email?.trim();
  if (!email || email.length > 254 || !ADDRESS.test(email)) return { unavailable: 'no_address' };
  return {
    email,
    workspaceId: conversation.workspace_id,
    visitorId: conversation.visitor_id,
    language: conversation.language,
  };
}

/**
 * Mails a conversation to its visitor: the transcript up to `toSeq`, the messages after `fromSeq`
 * marked as new, a reply address when the listener is set up, an unsubscribe link, and records the
 * mail. The caller has decided the mail is due and (for batches) claimed it; the address is read here
 * and leaves only in the mail itself.
 */
export async function mailConversation(
  deps: EmailDeps,
  o: {
    conversationId: string;
    kind: MailKind;
    fromSeq: number;
    toSeq: number;
    requestedBy?: string | null;
  },
): Promise<'sent' | 'unavailable'> {
  const target = await mailTargetOf(deps, o.conversationId);
  if ('unavailable' in target) return 'unavailable';
  const key = await deps.vault.forVisitor(deps.db, target.workspaceId, target.visitorId);
  const rows = await listMessagesAfter(deps.db, {
    conversationId: o.conversationId,
    afterSeq: Math.max(0, o.toSeq - TRANSCRIPT_LINES),
    beforeSeq: o.toSeq + 1,
    limit: TRANSCRIPT_LINES,
  });
  const lines: TranscriptLine[] = rows.map((sealed) => {
    const m = openMessageRow(key, sealed);
    return {
      seq: m.seq,
      who: m.author_kind === 'visitor' ? null : m.author_name,
      body: m.body,
      files: Boolean(m.attachments),
      at: m.created_at,
      fresh: o.kind !== 'transcript' && m.seq > o.fromSeq,
    };
  });
  const domain = deps.config.email.replyDomain;
  const replyTo = domain
    ? await replyAddressOf(deps, {
        workspaceId: target.workspaceId,
        conversationId: o.conversationId,
        domain,
      })
    : null;
  const token = await unsubscribeTokenOf(deps, {
    workspaceId: target.workspaceId,
    conversationId: o.conversationId,
  });
  const unsubscribeUrl = `${deps.config.publicUrl}/unsubscribe#token=${token}`;
  const mail = composeMail({
    kind: o.kind,
    lines,
    replyable: replyTo !== null,
    unsubscribeUrl,
    language: target.language,
  });
  const host = new URL(deps.config.publicUrl).hostname;
  await deps.mailer.deliver({
    to: target.email,
    ...mail,
    ...(replyTo ? { replyTo } : {}),
    messageId: `<${o.conversationId}.${o.kind}.${o.toSeq}.${randomUUID().slice(0, 8)}@${host}>`,
    headers: {
      // Machine-sent: well-behaved auto-responders stay silent (RFC 3834), so no loop starts here.
      'Auto-Submitted': 'auto-generated',
      'X-Auto-Response-Suppress': 'All',
      'List-Unsubscribe': `<${unsubscribeUrl}>`,
      References: `<${o.conversationId}@${host}>`,
    },
  });
  await insertDelivery(deps.db, {
    id: randomUUID(),
    conversation_id: o.conversationId,
    workspace_id: target.workspaceId,
    kind: o.kind,
    from_seq: o.fromSeq,
    to_seq: o.toSeq,
    requested_by: o.requestedBy ?? null,
    created_at: nowIso(),
  });
  return 'sent';
}
