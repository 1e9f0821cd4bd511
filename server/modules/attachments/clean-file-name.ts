import { ATTACHMENT_KINDS, ATTACHMENT_LIMITS, type AttachmentKind } from '../../../protocol/attachments.js';

/**
 * A file name safe to show and to offer as a download: no path, no control or bidirectional override
 * characters (which make `gpj.exe` look like `exe.jpg`), none of the characters file systems refuse,
 * bounded, and ending with an extension of the kind the content is (`invoice.exe` holding a PDF is
 * offered as `invoice.exe.pdf`).
 */
export function cleanFileName(raw: string | undefined, kind: AttachmentKind): string {
  const { extensions } = ATTACHMENT_KINDS[kind];
  const base = (raw ?? '')
    .normalize('NFC')
    .split(/[/\\]/)
    .pop()
    ?.replace(/\p{Cc}|\p{Cf}/gu, '')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  let name = base && base.length > 0 ? base : 'file';
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  if (!(extensions as readonly string[]).includes(extension)) name = `${name}.${extensions[0]}`;
  if (name.length > ATTACHMENT_LIMITS.maxNameChars) {
    const tail = name.slice(name.lastIndexOf('.'));
    name = `${Array.from(name)
      .slice(0, ATTACHMENT_LIMITS.maxNameChars - tail.length)
      .join('')}${tail}`;
  }
  return name;
}
