import { createHash } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { LIMITS } from '../../../protocol/limits.js';
import { stripQuoted } from './strip-quoted.js';

/** At most this many files of one mail are taken in; more are left out with a note. */
export const MAX_MAIL_FILES = 5;

export interface MailFile {
  name: string;
  content: Buffer;
}

/** Where a mail came from and which thread it answers: what an email channel needs of it. */
export interface MailEnvelope {
  /** The From address, lower-case; null when there is none that parses. */
  from: string | null;
  /** Its Message-ID, without the angle brackets. */
  messageId: string | null;
  /** The Message-IDs it answers (In-Reply-To, then References from the newest), at most 20. */
  answers: string[];
  subject: string | null;
  /** Values of its Authentication-Results headers, topmost first (mail-authentication.ts). */
  authResults: string[];
}

export type InboundMail =
  | {
      kind: 'answer';
      text: string;
      clientId: string;
      files: MailFile[];
      droppedFiles: number;
      envelope: MailEnvelope;
    }
  /** Nothing a person wrote: an auto-reply, a bounce, a list, or nothing left once quotes are cut. */
  | { kind: 'ignored'; why: 'auto-reply' | 'bounce' | 'empty' };

/**
 * What a visitor's answer says, from the raw mail: the text part (or the HTML part turned into text
 * by mailparser, which drops scripts and styles and never renders anything), quotes and signatures
 * cut, at most one message long. Files (up to MAX_MAIL_FILES) are handed on to be stored as the
 * visitor's uploads (receive-reply.ts); the rest are counted, for a note in the message.
 * Machine mail (Auto-Submitted, Precedence bulk/junk/list, auto-responder headers, an empty return
 * path) is recognised and ignored, so two robots cannot keep answering each other through Parley;
 * so are bounces (a delivery status report, or mail from MAILER-DAEMON or postmaster).
 */
export async function readInboundMail(raw: Buffer, o: { returnPath: string | null }): Promise<InboundMail> {
  const mail = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true });
  const header = (name: string) => {
    const v = mail.headers.get(name);
    return typeof v === 'string' ? v.toLowerCase() : v ? JSON.stringify(v).toLowerCase() : '';
  };
  const auto = header('auto-submitted');
  const sender = mail.from?.value[0]?.address?.toLowerCase() ?? null;
  if (
    /^multipart\/report\b/.test(header('content-type').replace(/^\{"value":"/, '')) ||
    /^(mailer-daemon|postmaster)@/.test(sender ?? '')
  )
    return { kind: 'ignored', why: 'bounce' };
  if (
    !o.returnPath ||
    (auto !== '' && auto !== 'no') ||
    /^(bulk|junk|list|auto_reply)$/.test(header('precedence').trim()) ||
    header('x-autoreply') !== '' ||
    header('x-autorespond') !== '' ||
    // mailparser folds List-* headers into one `list` entry: the raw lines say whether it was there.
    mail.headerLines.some((h) => h.key === 'list-id')
  )
    return { kind: 'ignored', why: 'auto-reply' };
  // Images a mail program embeds in its own HTML (signatures, logos) are not files the visitor sent.
  const attached = mail.attachments.filter((a) => a.contentDisposition !== 'inline' || !a.related);
  const files = attached
    .slice(0, MAX_MAIL_FILES)
    .map((a) => ({ name: a.filename ?? 'file', content: a.content }));
  const text = stripQuoted(mail.text ?? '');
  if (!text.trim() && files.length === 0) return { kind: 'ignored', why: 'empty' };
  const max = LIMITS.maxMessageChars - 200;
  const body = text.length > max ? `${text.slice(0, max - 1)}…` : text;
  // The same mail delivered twice (a retry after a lost "250") is stored once.
  const id = mail.messageId ?? createHash('sha256').update(raw).digest('hex');
  const clientId = `mail-${createHash('sha256').update(id).digest('base64url').slice(0, 32)}`;
  return {
    kind: 'answer',
    text: body,
    clientId,
    files,
    droppedFiles: attached.length - files.length,
    envelope: {
      from: sender && sender.length <= 254 ? sender : null,
      messageId: bare(mail.messageId),
      answers: [...idsOf(mail.inReplyTo), ...idsOf(mail.references).reverse()].slice(0, 20),
      subject: mail.subject?.trim().slice(0, 200) || null,
      authResults: mail.headerLines
        .filter((h) => h.key === 'authentication-results')
        .map((h) => h.line.slice(h.line.indexOf(':') + 1).trim())
        .slice(0, 20),
    },
  };
}

function bare(id: string | undefined | null): string | null {
  const v = id?.trim().replace(/^<|>$/g, '');
  return v && v.length <= 512 ? v : null;
}

function idsOf(v: string | string[] | undefined): string[] {
  const all = (Array.isArray(v) ? v : v ? [v] : []).flatMap((s) => s.match(/<[^<>\s]{1,510}>/g) ?? [s]);
  return all.map(bare).filter((x): x is string => x !== null);
}
