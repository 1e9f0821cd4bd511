import {
  ATTACHMENT_KIND_NAMES,
  type AttachmentKind,
  type AttachmentSettings,
  DEFAULT_ALLOWED_KINDS,
} from '../../../protocol/attachments.js';
import { nowIso } from '../../platform/clock.js';
import type { Db, Executor } from '../../platform/db/schema.js';
import { findAttachmentSettings, upsertAllowedKinds } from './attachment.repository.js';

/** The kinds a workspace accepts (every known kind until an administrator narrows the list). */
export async function getAttachmentSettings(db: Db, workspaceId: string): Promise<AttachmentSettings> {
  const row = await findAttachmentSettings(db, workspaceId);
  return {
    allowedKinds: row ? (JSON.parse(row.allowed_kinds) as AttachmentKind[]) : [...DEFAULT_ALLOWED_KINDS],
    knownKinds: [...ATTACHMENT_KIND_NAMES],
    updatedAt: row?.updated_at ?? null,
  };
}

/**
 * Sets the kinds a workspace accepts, audited with the rest of the change in one transaction. An
 * empty list turns uploads off. Files already stored stay; the list decides only new uploads.
 */
export async function setAttachmentSettings(o: {
  db: Db;
  workspaceId: string;
  allowedKinds: AttachmentKind[];
  audit: (trx: Executor) => Promise<void>;
}): Promise<AttachmentSettings> {
  const kinds = ATTACHMENT_KIND_NAMES.filter((k) => o.allowedKinds.includes(k));
  await o.db.transaction().execute(async (trx) => {
    await upsertAllowedKinds(trx, { workspaceId: o.workspaceId, kinds, at: nowIso() });
    await o.audit(trx);
  });
  return getAttachmentSettings(o.db, o.workspaceId);
}
