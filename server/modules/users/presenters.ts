import type { Invite, Member } from '../../../protocol/users-api.js';
import type { InvitesTable } from '../../platform/db/schema.js';
import type { listMembers } from './user.repository.js';

type MemberRow = Awaited<ReturnType<typeof listMembers>>[number];

export function presentMember(row: MemberRow): Member {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    disabled: row.disabledAt !== null,
    createdAt: row.createdAt,
    lastSeenAt: row.lastSeenAt ?? null,
  };
}

export function presentInvite(row: InvitesTable, now: string, delivery?: Invite['delivery']): Invite {
  const status = row.accepted_at
    ? 'accepted'
    : row.revoked_at
      ? 'revoked'
      : row.expires_at <= now
        ? 'expired'
        : 'pending';
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    status,
    ...(delivery ? { delivery } : {}),
  };
}
