import type { ArchivedProfile } from '../../../protocol/data-protection.js';
import type { VisitorProfilesTable } from '../../platform/db/schema-data-protection.js';
import type { VisitorKey } from '../encryption/visitor-key.js';

/** A visitor's profile in the clear, as the code uses it; on disk every field is sealed. */
export type PlainProfile = ArchivedProfile;

const T = 'visitor_profiles';

export function openProfile(key: VisitorKey, row: VisitorProfilesTable): PlainProfile {
  const id = row.visitor_id;
  const custom = key.openNullable(T, 'custom', id, row.custom);
  return {
    name: key.openNullable(T, 'name', id, row.name),
    email: key.openNullable(T, 'email', id, row.email),
    phone: key.openNullable(T, 'phone', id, row.phone),
    custom: custom ? readCustomFields(custom) : {},
    collectedAt: row.collected_at,
    expiresAt: row.expires_at,
  };
}

export function sealProfile(
  key: VisitorKey,
  row: Pick<VisitorProfilesTable, 'visitor_id' | 'workspace_id' | 'widget_id' | 'updated_at'>,
  profile: PlainProfile,
  emailIndex: string | null,
): VisitorProfilesTable {
  const id = row.visitor_id;
  return {
    ...row,
    name: key.sealNullable(T, 'name', id, profile.name),
    email: key.sealNullable(T, 'email', id, profile.email),
    email_index: emailIndex,
    phone: key.sealNullable(T, 'phone', id, profile.phone),
    custom:
      Object.keys(profile.custom).length > 0
        ? key.seal(T, 'custom', id, JSON.stringify(profile.custom))
        : null,
    collected_at: profile.collectedAt,
    expires_at: profile.expiresAt,
  };
}

/**
 * Custom fields as stored, keeping only text values. What the schema refuses today may have been
 * stored by an older version: one odd field must not make every view of the visitor fail.
 */
export function readCustomFields(json: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
  return Object.fromEntries(Object.entries(parsed).filter(([, v]) => typeof v === 'string'));
}

/** A profile past its visitor data TTL reads as absent, even before the scheduler deletes it. */
export function isLive(profile: { expires_at: string | null }, now: string): boolean {
  return profile.expires_at === null || profile.expires_at > now;
}
