import { LANGUAGES } from '../../../protocol/languages.js';
import { languageOf, type VisitorTextKey, visitorText } from '../../i18n/visitor-texts.js';

/**
 * The text of a mail to a visitor, built from the transcript (decrypted for this mail only): plain
 * text and a simple HTML part in which everything the conversation said is escaped, in the language
 * the visitor's widget showed (server/i18n; English for a conversation from before languages).
 * Pure: no I/O.
 */
export type MailKind = 'replies' | 'transcript' | 'follow_up';

export interface TranscriptLine {
  seq: number;
  /** Who wrote it, as the visitor knows them: null for their own messages ("You", in their language). */
  who: string | null;
  /** The message carried files, which a mail does not: it says so. */
  files?: boolean;
  body: string;
  at: string;
  /** Part of what this mail brings (an unseen reply); older lines are context. */
  fresh: boolean;
}

/**
 * Everything below this line is the mail's own quote: the inbound side cuts there (strip-quoted.ts),
 * whichever language the mail was written in, so every language's marker is known to it.
 */
export const REPLY_MARKERS: readonly string[] = LANGUAGES.map((lang) => visitorText(lang, 'mailReplyMarker'));

const SUBJECTS: Record<MailKind, VisitorTextKey> = {
  replies: 'mailSubjectReplies',
  follow_up: 'mailSubjectFollowUp',
  transcript: 'mailSubjectTranscript',
};

export function composeMail(o: {
  kind: MailKind;
  lines: TranscriptLine[];
  /** Whether answering the mail reaches the conversation (the listener is configured). */
  replyable: boolean;
  unsubscribeUrl: string;
  /** The conversation's language (conversations.language); anything else means English. */
  language?: string | null;
}): { subject: string; text: string; html: string } {
  const lang = languageOf(o.language);
  const say = (key: VisitorTextKey): string => visitorText(lang, key);
  const intro = say(
    o.kind === 'transcript'
      ? 'mailIntroTranscript'
      : o.replyable
        ? 'mailIntroAnswerByMail'
        : 'mailIntroAnswerInChat',
  );
  const marker = say('mailReplyMarker');
  const who = (l: TranscriptLine): string => l.who ?? say('mailYou');
  const body = (l: TranscriptLine): string => l.body + (l.files ? `\n${say('mailFile')}` : '');
  const text = [
    ...(o.replyable && o.kind !== 'transcript' ? [marker, ''] : []),
    intro,
    '',
    ...o.lines.map((l) => `${l.fresh ? '* ' : ''}${who(l)} (${stamp(l.at)}):\n${body(l)}\n`),
    '-- ',
    `${say('mailStop')}: ${o.unsubscribeUrl}`,
  ].join('\n');
  const html = [
    `<!doctype html><html lang="${lang}"${lang === 'ar' ? ' dir="rtl"' : ''}><body>`,
    ...(o.replyable && o.kind !== 'transcript' ? [`<p style="color:#666">${escapeHtml(marker)}</p>`] : []),
    `<p>${escapeHtml(intro)}</p>`,
    ...o.lines.map(
      (l) =>
        `<p${l.fresh ? ' style="font-weight:bold"' : ''}><span>${escapeHtml(who(l))} (${escapeHtml(stamp(l.at))}):</span><br>${escapeHtml(body(l)).replace(/\n/g, '<br>')}</p>`,
    ),
    `<p><a href="${escapeHtml(o.unsubscribeUrl)}">${escapeHtml(say('mailStop'))}</a></p>`,
    '</body></html>',
  ].join('\n');
  return { subject: say(SUBJECTS[o.kind]), text, html };
}

function stamp(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
