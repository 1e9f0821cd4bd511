import type { StructuredContent } from '../../../protocol/structured.js';
import type { MessagesTable } from '../../platform/db/schema.js';

/**
 * A message as plain text for a platform that shows no Parley components: cards become their title,
 * text and link on lines of their own; quick-reply buttons become numbered lines the customer answers
 * with the number (receive-channel-message.ts maps it back); a rating request says where it can be given; files
 * are named, not sent. Always the same text for the same message.
 */
export function replyText(message: Pick<MessagesTable, 'body' | 'structured' | 'attachments'>): string {
  const lines: string[] = message.body ? [message.body] : [];
  const content = message.structured ? (JSON.parse(message.structured) as StructuredContent) : {};
  for (const part of content.parts ?? []) {
    if (part.type === 'card')
      lines.push(
        [part.title, part.text, part.url ? `${part.linkLabel ?? 'Link'}: ${part.url}` : null]
          .filter(Boolean)
          .join('\n'),
      );
    else if (part.type === 'source') lines.push(`Source: ${part.title}`);
    else if (part.type === 'rating')
      lines.push('(A rating of this conversation was asked for; it can be given in the web chat.)');
  }
  const actions = content.actions ?? [];
  if (actions.length > 0) {
    lines.push(actions.map((a, i) => `${i + 1}. ${a.label}`).join('\n'));
    lines.push('Reply with the number of your choice.');
  }
  const files = message.attachments ? (JSON.parse(message.attachments) as Array<{ name?: string }>) : [];
  if (files.length > 0)
    lines.push(
      `[${files.length === 1 ? 'A file was' : `${files.length} files were`} shared in the chat and cannot be sent on this channel.]`,
    );
  return lines.join('\n\n');
}

/** Splits a text into parts of at most `max` characters, at a line or word break where there is one. */
export function splitText(text: string, max: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max);
    const at = Math.max(window.lastIndexOf('\n'), window.lastIndexOf(' '));
    const cut = at > max / 2 ? at : max;
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest);
  return parts;
}
