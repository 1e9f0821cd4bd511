import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { ATTACHMENT_KINDS, type AttachmentKind } from '../../../protocol/attachments.js';
import type { OpenedAttachment } from './store-attachment.js';

/** Raster images the browser may show in place; everything else is only ever a download. */
const SHOWN_IN_PLACE = new Set<AttachmentKind>(['png', 'jpeg', 'gif', 'webp']);

/**
 * Sends an attachment so that it can never act on Parley's origin: its own media type from the
 * content check (never the uploader's), nosniff, a sandboxing CSP (an opened file is a document with
 * a unique origin and no script), and `Content-Disposition: attachment` for anything but raster images.
 */
export function serveAttachment(
  reply: FastifyReply,
  row: OpenedAttachment,
  content: AsyncIterable<Buffer>,
  /** Saved, even an image: the widget's sandboxed frame saves files by following a link to them. */
  saveAs = false,
): FastifyReply {
  const kind = row.kind as AttachmentKind;
  const disposition = SHOWN_IN_PLACE.has(kind) && !saveAs ? 'inline' : 'attachment';
  const ascii = row.name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return reply
    .code(200)
    .header('content-type', ATTACHMENT_KINDS[kind].mediaType)
    .header('content-length', String(row.size_bytes))
    .header(
      'content-disposition',
      `${disposition}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(row.name)}`,
    )
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', `sandbox; default-src 'none'; frame-ancestors 'none'`)
    .send(Readable.from(content));
}

/** Every media type a download may answer with, for the route's declared response. */
export const DOWNLOAD_RESPONSE = {
  content: Object.fromEntries(
    [...new Set(Object.values(ATTACHMENT_KINDS).map((k) => k.mediaType))].map((m) => [
      m,
      { schema: { type: 'string' } },
    ]),
  ),
};
