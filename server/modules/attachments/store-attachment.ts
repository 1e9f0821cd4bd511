import { randomUUID } from 'node:crypto';
import {
  ATTACHMENT_KINDS,
  type AttachmentKind,
  DEFAULT_ALLOWED_KINDS,
} from '../../../protocol/attachments.js';
import type { AttachmentConfig } from '../../config-attachments.js';
import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import type { Db } from '../../platform/db/schema.js';
import type { AttachmentsTable } from '../../platform/db/schema-attachments.js';
import type { MalwareScanner } from '../../platform/malware/clamd-scanner.js';
import { findConversationById } from '../conversations/lookups.js';
import type { Vault } from '../encryption/vault.js';
import { findAllowedKinds, insertAttachment, storedBytes } from './attachment.repository.js';
import { sealChunks } from './attachment-cipher.js';
import type { AttachmentStore } from './attachment-store.js';
import { cleanFileName } from './clean-file-name.js';
import { detectKind } from './detect-kind.js';
import { reencodeImage } from './reencode-image.js';
import { type ScanLogger, scanAttachment } from './scan-attachment.js';

export interface AttachmentDeps {
  db: Db;
  vault: Vault;
  store: AttachmentStore;
  limits: AttachmentConfig;
  /** clamd when PARLEY_CLAMD is set: every file passes it before it is stored. */
  scanner?: MalwareScanner | null;
  /** Where a refused infected file is also logged (its signature, never its content). */
  log?: ScanLogger;
}

/** The row as it is in memory: its name in the clear. On disk the name is sealed. */
export type OpenedAttachment = AttachmentsTable;

/**
 * Checks a file and stores it sealed under the conversation's visitor's data key. The kind comes from
 * the content and must be on the workspace's list; an image is re-encoded (metadata stripped) within
 * the pixel bound; the file, the conversation and the workspace stay within their limits; with clamd
 * configured, the file must scan clean. The row and its chunks are stored together or not at all: a
 * refusal or a failure leaves nothing behind.
 */
export async function storeAttachment(
  deps: AttachmentDeps,
  input: {
    workspaceId: string;
    conversationId: string;
    uploader: { kind: AttachmentsTable['uploader_kind']; id: string };
    fileName?: string;
    content: Buffer;
    /** The uploader's address, for the audit entry of a refused infected file. */
    ip?: string | null;
  },
): Promise<OpenedAttachment> {
  const { db, limits } = deps;
  if (input.content.length === 0) throw new AppError('attachment_empty');
  if (input.content.length > limits.maxFileBytes) throw new AppError('attachment_too_large');
  const kind = detectKind(input.content);
  const allowed = ((await findAllowedKinds(db, input.workspaceId)) ??
    DEFAULT_ALLOWED_KINDS) as AttachmentKind[];
  if (kind === null || !allowed.includes(kind))
    throw new AppError('attachment_type_not_allowed', {
      details: [`accepted here: ${allowed.map((k) => ATTACHMENT_KINDS[k].label).join(', ')}`],
    });

  let content = input.content;
  let width: number | null = null;
  let height: number | null = null;
  if (ATTACHMENT_KINDS[kind].image) {
    const image = await reencodeImage(content, kind, limits.maxImagePixels);
    ({ width, height } = image);
    content = image.bytes;
    if (content.length > limits.maxFileBytes) throw new AppError('attachment_too_large');
  }

  const used = await storedBytes(db, input.workspaceId, input.conversationId);
  if (used.conversation + content.length > limits.maxConversationBytes)
    throw new AppError('attachment_conversation_full');
  if (used.workspace + content.length > limits.workspaceQuotaBytes)
    throw new AppError('attachment_quota_exceeded');

  const key = await deps.vault.forConversation(db, input.conversationId);
  if (!key || key.workspaceId !== input.workspaceId) throw new AppError('conversation_not_found');
  // A closed conversation takes no message, so no file that would wait for one.
  if ((await findConversationById(db, input.conversationId))?.status === 'closed')
    throw new AppError('conversation_closed');
  // The bytes that will be stored (an image as re-encoded) are scanned before they are sealed: no
  // row names a file until it passed, so no one can download a file that was not scanned.
  if (deps.scanner) await scanAttachment({ ...deps, scanner: deps.scanner }, { ...input, kind, content });
  const id = randomUUID();
  const ref = { workspaceId: input.workspaceId, conversationId: input.conversationId, attachmentId: id };
  const chunks = sealChunks(key, ref, content);
  const row: AttachmentsTable = {
    id,
    workspace_id: input.workspaceId,
    conversation_id: input.conversationId,
    message_id: null,
    uploader_kind: input.uploader.kind,
    uploader_id: input.uploader.id,
    name: cleanFileName(input.fileName, kind),
    kind,
    size_bytes: content.length,
    chunk_count: chunks.length,
    width,
    height,
    created_at: nowIso(),
  };
  try {
    await db.transaction().execute(async (trx) => {
      await deps.store.write(trx, { id, workspaceId: input.workspaceId }, chunks);
      await insertAttachment(trx, { ...row, name: key.seal('attachments', 'name', id, row.name) });
    });
  } catch (err) {
    await deps.store.discard(id);
    throw err;
  }
  return row;
}
