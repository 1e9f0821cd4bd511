import { ATTACHMENT_KINDS, type Attachment, type AttachmentKind } from '../../../protocol/attachments.js';
import type { OpenedAttachment } from './store-attachment.js';

export function presentAttachment(row: OpenedAttachment): Attachment {
  const kind = row.kind as AttachmentKind;
  return {
    id: row.id,
    name: row.name,
    kind,
    mediaType: ATTACHMENT_KINDS[kind].mediaType,
    size: row.size_bytes,
    width: row.width,
    height: row.height,
    createdAt: row.created_at,
  };
}
