import { REPLY_MARKERS } from './compose-mail.js';

/**
 * The visitor's own words from an answer to a reply mail: what mail programs add below them is cut
 * (the quoted mail, "On … wrote:", a "-- " signature, Outlook's separators and header block, phones'
 * "Sent from my …"), and so is our own marker line and everything after it. Pure.
 */
const CUT_AT: RegExp[] = [
  /^-- ?$/, // the signature separator (RFC 3676), also with its space stripped
  /^_{10,}\s*$/, // Outlook's line before the quoted headers
  /^-{2,}\s*(Original Message|Forwarded message|Ursprüngliche Nachricht|Message d'origine)\s*-{2,}/i,
  /^(From|De|Von|Van):\s.+/i, // Outlook's quoted header block starts with the sender
  /^On .{1,300}wrote:\s*$/i,
  /^Le .{1,300}a écrit\s?:\s*$/i,
  /^Am .{1,300}schrieb .{0,200}:\s*$/i,
  /^Sent from my /i,
];

export function stripQuoted(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] as string;
    if (REPLY_MARKERS.some((marker) => line.includes(marker))) break;
    // "On Mon, … at 10:00, Parley <…>" wrapped over two lines before "wrote:".
    const joined = `${line} ${lines[i + 1] ?? ''}`.trim();
    if (CUT_AT.some((re) => re.test(line.trimEnd())) || /^On .{1,300}wrote:\s*$/i.test(joined)) break;
    if (/^\s*>/.test(line)) continue;
    kept.push(line);
  }
  return kept
    .join('\n')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
