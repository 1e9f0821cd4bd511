import { createHash } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { LIMITS } from '../../../protocol/limits.js';
import { stripQuoted } from './strip-quoted.js';

export type InboundMail =
  | { kind: 'answer'; text: string; clientId: string; droppedFiles: number }
  /** Nothing a person wrote: an auto-reply, a bounce, a list, or nothing left once quotes are cut. */
  | { kind: 'ignored'; why: 'auto-reply' | 'empty' };

/**
 * What a visitor's answer says, from the raw mail: the text part (or the HTML part turned into text
 * by mailparser, which drops scripts and styles and never renders anything), quotes and signatures
 * cut, at most one message long. Files are not taken in: their count is noted in the message.
 * Machine mail (Auto-Submitted, Precedence bulk/junk/list, auto-responder headers, an empty return
 * path) is recognised and ignored, so two robots cannot keep answering each other through Parley.
 */
export async function readInboundMail(raw: Buffer, o: { returnPath: string | null }): Promise<InboundMail> {
  const mail = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true });
  const header = (name: string) => {
    const v = mail.headers.get(name);
    return typeof v === 'string' ? v.toLowerCase() : v ? JSON.stringify(v).toLowerCase() : '';
  };
  const auto = header('auto-submitted');
  if (
    !o.returnPath ||
    (auto !== '' && auto !== 'no') ||
    /^(bulk|junk|list|auto_reply)$/.test(header('precedence').trim()) ||
    header('x-autoreply') !== '' ||
    header('x-autorespond') !== '' ||
    header('list-id') !== '' ||
    header('x-auto-response-suppress').includes('all')
  )
    return { kind: 'ignored', why: 'auto-reply' };
  const droppedFiles = mail.attachments.filter((a) => a.contentDisposition !== 'inline' || !a.related).length;
  let text = stripQuoted(mail.text ?? '');
  if (droppedFiles > 0)
    text += `${text ? '\n\n' : ''}[${droppedFiles === 1 ? 'A file' : `${droppedFiles} files`} sent by email ${droppedFiles === 1 ? 'was' : 'were'} not added: files can be sent in the chat.]`;
  if (!text.trim()) return { kind: 'ignored', why: 'empty' };
  const max = LIMITS.maxMessageChars;
  if (text.length > max) text = `${text.slice(0, max - 1)}…`;
  // The same mail delivered twice (a retry after a lost "250") is stored once.
  const id = mail.messageId ?? createHash('sha256').update(raw).digest('hex');
  const clientId = `mail-${createHash('sha256').update(id).digest('base64url').slice(0, 32)}`;
  return { kind: 'answer', text, clientId, droppedFiles };
}
