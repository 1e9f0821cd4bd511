import type { VisitorProfile } from '../../../protocol/data-protection.js';
import { AppError } from '../../errors.js';
import type { Db } from '../../platform/db/schema.js';
import type { Vault } from '../encryption/vault.js';
import { findProfile, findVisitorInWorkspace } from './visitor-profile.repository.js';
import { isLive, openProfile, type PlainProfile } from './visitor-profile-codec.js';

/** A visitor with the data they gave, in the clear; masking for the viewer is the caller's step. */
export async function getVisitorProfile(options: {
  db: Db;
  vault: Vault;
  workspaceId: string;
  visitorId: string;
  now?: Date;
}): Promise<VisitorProfile> {
  const { db, vault, workspaceId, visitorId } = options;
  const visitor = await findVisitorInWorkspace(db, workspaceId, visitorId);
  if (!visitor) throw new AppError('visitor_not_found');
  const row = await findProfile(db, visitorId);
  const now = (options.now ?? new Date()).toISOString();
  let profile: PlainProfile | null = null;
  if (row && isLive(row, now)) {
    profile = openProfile(await vault.forVisitor(db, workspaceId, visitorId), row);
  }
  return {
    visitorId,
    widgetId: visitor.widget_id,
    displayName: visitor.display_name,
    name: profile?.name ?? null,
    email: profile?.email ?? null,
    phone: profile?.phone ?? null,
    custom: profile?.custom ?? {},
    collectedAt: profile?.collectedAt ?? null,
    expiresAt: profile?.expiresAt ?? null,
    masked: false,
    createdAt: visitor.created_at,
    lastSeenAt: visitor.last_seen_at,
  };
}
