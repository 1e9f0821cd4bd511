import { ATTACHMENT_LIMITS } from '../../../protocol/attachments.js';
import type { VisitorKey } from '../encryption/visitor-key.js';

export interface AttachmentRef {
  workspaceId: string;
  conversationId: string;
  attachmentId: string;
}

/**
 * Each chunk's associated data names the attachment it belongs to, its place, and whether it is the
 * last: a chunk moved to another attachment or place does not decrypt, and a file cut short after any
 * chunk is detected (the chunk that is now last was not sealed as last).
 */
export function chunkAad(ref: AttachmentRef, index: number, final: boolean): string {
  return `parley/attachments/${ref.workspaceId}/${ref.conversationId}/${ref.attachmentId}/${index}/${final ? 'final' : 'more'}`;
}

/** The content as sealed chunks of at most `ATTACHMENT_LIMITS.chunkBytes` plaintext bytes each. */
export function sealChunks(key: VisitorKey, ref: AttachmentRef, content: Buffer): Buffer[] {
  const size = ATTACHMENT_LIMITS.chunkBytes;
  const count = Math.max(1, Math.ceil(content.length / size));
  const chunks: Buffer[] = [];
  for (let i = 0; i < count; i += 1) {
    chunks.push(key.sealChunk(chunkAad(ref, i, i === count - 1), content.subarray(i * size, (i + 1) * size)));
  }
  return chunks;
}

/** Opens chunks as they are read; throws DecryptionError on the first one altered, moved or missing. */
export async function* openChunks(
  key: VisitorKey,
  ref: AttachmentRef,
  sealed: AsyncIterable<Buffer>,
  count: number,
): AsyncIterable<Buffer> {
  let index = 0;
  for await (const chunk of sealed) {
    yield key.openChunk(
      chunkAad(ref, index, index === count - 1),
      chunk,
      `chunk ${index} of attachment ${ref.attachmentId}`,
    );
    index += 1;
  }
  if (index !== count)
    throw new Error(`attachment ${ref.attachmentId} ended after ${index} of ${count} chunks`);
}
