import type { VisitorProfilePatch } from '../../../protocol/data-protection.js';
import { LIMITS } from '../../../protocol/limits.js';
import { AppError } from '../../errors.js';
import type { Db } from '../../platform/db/schema.js';
import type { Vault } from '../encryption/vault.js';
import { getRetentionSettings } from '../retention/get-retention-settings.js';
import { indexVisitorProfile } from '../search/index-visitor-profile.js';
import { findProfile, findVisitorInWorkspace, upsertProfile } from './visitor-profile.repository.js';
import { isLive, openProfile, type PlainProfile, sealProfile } from './visitor-profile-codec.js';

/**
 * Records what a visitor told (name, email, phone, custom fields), sealed under their data key, with
 * a blind index of the email for exact lookup. The widget's visitor data TTL counts from the first
 * thing collected: later fields expire with it, never after.
 */
export async function setVisitorProfile(options: {
  db: Db;
  vault: Vault;
  workspaceId: string;
  visitorId: string;
  patch: VisitorProfilePatch;
  now?: Date;
}): Promise<PlainProfile> {
  const { db, vault, workspaceId, visitorId, patch } = options;
  const now = options.now ?? new Date();
  const at = now.toISOString();
  const visitor = await findVisitorInWorkspace(db, workspaceId, visitorId);
  if (!visitor) throw new AppError('visitor_not_found');
  const key = await vault.forVisitor(db, workspaceId, visitorId);
  const row = await findProfile(db, visitorId);
  const current = row && isLive(row, at) ? openProfile(key, row) : null;
  const collectedAt = current?.collectedAt ?? at;
  const ttl = (await getRetentionSettings({ db, widgetId: visitor.widget_id })).visitorDataTtlSeconds;
  const custom = { ...(current?.custom ?? {}) };
  for (const [k, v] of Object.entries(patch.custom ?? {})) {
    if (v === null) delete custom[k];
    else custom[k] = v;
  }
  if (Object.keys(custom).length > LIMITS.maxCustomFields) {
    throw new AppError('invalid_request', { details: [`custom: at most ${LIMITS.maxCustomFields} fields`] });
  }
  const next: PlainProfile = {
    name: pick(patch.name, current?.name)?.trim() || null,
    email: pick(patch.email, current?.email)?.trim() || null,
    phone: pick(patch.phone, current?.phone)?.trim() || null,
    custom,
    collectedAt,
    expiresAt: ttl === null ? null : new Date(Date.parse(collectedAt) + ttl * 1000).toISOString(),
  };
  const emailIndex = next.email ? await vault.emailIndex(db, workspaceId, next.email) : null;
  // The search index's name and email terms change with the profile, in its transaction.
  await db.transaction().execute(async (trx) => {
    await upsertProfile(
      trx,
      sealProfile(
        key,
        { visitor_id: visitorId, workspace_id: workspaceId, widget_id: visitor.widget_id, updated_at: at },
        next,
        emailIndex,
      ),
    );
    await indexVisitorProfile(trx, vault, { workspaceId, visitorId, name: next.name, email: next.email });
  });
  return next;
}

function pick(patched: string | null | undefined, current: string | null | undefined): string | null {
  return patched === undefined ? (current ?? null) : patched;
}
