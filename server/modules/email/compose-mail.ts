/**
 * The text of a mail to a visitor, built from the transcript (decrypted for this mail only): plain
 * text and a simple HTML part in which everything the conversation said is escaped. Pure: no I/O.
 */
export type MailKind = 'replies' | 'transcript' | 'follow_up';

export interface TranscriptLine {
  seq: number;
  /** Who wrote it, as the visitor knows them: "You" for their own messages. */
  who: string;
  body: string;
  at: string;
  /** Part of what this mail brings (an unseen reply); older lines are context. */
  fresh: boolean;
}

/** Everything below this line is the mail's own quote: the inbound side cuts there (strip-quoted.ts). */
export const REPLY_MARKER = '##- Write your answer above this line -##';

const SUBJECTS: Record<MailKind, string> = {
  replies: 'New reply to your conversation',
  follow_up: 'A reply to your conversation',
  transcript: 'Your conversation transcript',
};

export function composeMail(o: {
  kind: MailKind;
  lines: TranscriptLine[];
  /** Whether answering the mail reaches the conversation (the listener is configured). */
  replyable: boolean;
  unsubscribeUrl: string;
}): { subject: string; text: string; html: string } {
  const intro =
    o.kind === 'transcript'
      ? 'Here is the transcript you asked for.'
      : o.replyable
        ? 'You have a reply in your conversation. Answer this email to write back.'
        : 'You have a reply in your conversation. Open the chat on the website to write back.';
  const text = [
    ...(o.replyable && o.kind !== 'transcript' ? [REPLY_MARKER, ''] : []),
    intro,
    '',
    ...o.lines.map((l) => `${l.fresh ? '* ' : ''}${l.who} (${stamp(l.at)}):\n${l.body}\n`),
    '-- ',
    `Stop these emails: ${o.unsubscribeUrl}`,
  ].join('\n');
  const html = [
    '<!doctype html><html><body>',
    ...(o.replyable && o.kind !== 'transcript'
      ? [`<p style="color:#666">${escapeHtml(REPLY_MARKER)}</p>`]
      : []),
    `<p>${escapeHtml(intro)}</p>`,
    ...o.lines.map(
      (l) =>
        `<p${l.fresh ? ' style="font-weight:bold"' : ''}><span>${escapeHtml(l.who)} (${escapeHtml(stamp(l.at))}):</span><br>${escapeHtml(l.body).replace(/\n/g, '<br>')}</p>`,
    ),
    `<p><a href="${escapeHtml(o.unsubscribeUrl)}">Stop these emails</a></p>`,
    '</body></html>',
  ].join('\n');
  return { subject: SUBJECTS[o.kind], text, html };
}

function stamp(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
