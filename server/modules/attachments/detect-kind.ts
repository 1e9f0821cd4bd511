import type { AttachmentKind } from '../../../protocol/attachments.js';

/**
 * The kind of a file from its content alone. A name or a client's MIME type says nothing: a renamed
 * executable is still an executable. Returns null for anything not on Parley's list, which includes
 * markup (HTML, SVG, XML) even though it is text: served back, it could carry script.
 */
export function detectKind(bytes: Buffer): AttachmentKind | null {
  const starts = (sig: number[], at = 0) => sig.every((b, i) => bytes[at + i] === b);
  const ascii = (text: string, at = 0) => bytes.subarray(at, at + text.length).toString('latin1') === text;
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (starts([0xff, 0xd8, 0xff])) return 'jpeg';
  if (ascii('GIF87a') || ascii('GIF89a')) return 'gif';
  if (ascii('RIFF') && ascii('WEBP', 8)) return 'webp';
  if (ascii('%PDF-')) return 'pdf';
  if (starts([0x50, 0x4b, 0x03, 0x04])) return officeKind(bytes);
  return isPlainText(bytes) ? 'text' : null;
}

const MARKUP = /<\s*(\?xml|!doctype|html|svg|script|iframe|object|embed|body|head|meta|math|xsl)\b/i;

function isPlainText(bytes: Buffer): boolean {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return false;
  }
  // Control characters other than tab, line feed, form feed and carriage return mean binary data.
  for (const byte of bytes) {
    if ((byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d) || byte === 0x7f)
      return false;
  }
  return !MARKUP.test(text.slice(0, 4096));
}

/** OOXML (docx, xlsx, pptx) or ODF text, from the ZIP's central directory; macros are not accepted. */
function officeKind(bytes: Buffer): AttachmentKind | null {
  const names = zipEntryNames(bytes);
  if (!names) return null;
  if (names.some((n) => /vbaProject\.bin$/i.test(n))) return null;
  if (names.includes('[Content_Types].xml')) {
    if (names.some((n) => n.startsWith('word/'))) return 'docx';
    if (names.some((n) => n.startsWith('xl/'))) return 'xlsx';
    if (names.some((n) => n.startsWith('ppt/'))) return 'pptx';
    return null;
  }
  // ODF: the first entry is `mimetype`, stored uncompressed, holding the document's media type.
  const nameLength = bytes.readUInt16LE(26);
  const extraLength = bytes.readUInt16LE(28);
  if (bytes.readUInt16LE(8) !== 0 || bytes.subarray(30, 30 + nameLength).toString('latin1') !== 'mimetype')
    return null;
  const start = 30 + nameLength + extraLength;
  const type = 'application/vnd.oasis.opendocument.text';
  const size = bytes.readUInt32LE(18);
  return size === type.length && bytes.subarray(start, start + size).toString('latin1') === type
    ? 'odt'
    : null;
}

/** The names in a ZIP's central directory, or null when it is not a well-formed ZIP. */
function zipEntryNames(bytes: Buffer): string[] | null {
  const floor = Math.max(0, bytes.length - 22 - 0xffff);
  let end = -1;
  for (let i = bytes.length - 22; i >= floor; i -= 1) {
    if (bytes.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) return null;
  const count = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let n = 0; n < count; n += 1) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== 0x02014b50) return null;
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLength = bytes.readUInt16LE(at + 32);
    if (at + 46 + nameLength > bytes.length) return null;
    names.push(bytes.subarray(at + 46, at + 46 + nameLength).toString('utf8'));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}
