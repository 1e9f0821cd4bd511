import type { Role } from '../../../protocol/common.js';
import type { Executor } from '../../platform/db/schema.js';
import { type AuditActor, recordAuditEvent, type SecurityLogger } from '../audit/record-audit-event.js';
import { revokeAllSessions } from '../auth/end-session.js';
import { updateRole } from './user.repository.js';

/**
 * The one way a member's role changes: the membership row, a `user.role.changed` audit entry saying
 * who or what changed it (`source`: an administrator, a sign-in provider's groups, the directory's),
 * and the end of every session but `keep`. A socket and a session carry the role they were opened
 * with (and the confinement that follows from it), so ending them is what makes the new role count
 * everywhere at once. Runs in the caller's transaction; announce the returned sessions after commit.
 */
export async function changeRole(o: {
  db: Executor;
  workspaceId: string;
  userId: string;
  from: Role;
  to: Role;
  actor: AuditActor;
  source: 'administrator' | 'oidc' | 'directory';
  /** The provider or directory whose groups decided, for the audit entry. */
  sourceId?: string;
  ip?: string | null;
  keep?: string;
  log?: SecurityLogger;
}): Promise<string[]> {
  await updateRole(o.db, o.workspaceId, o.userId, o.to);
  await recordAuditEvent(
    o.db,
    {
      workspaceId: o.workspaceId,
      actor: o.actor,
      action: 'user.role.changed',
      target: { type: 'user', id: o.userId },
      ip: o.ip ?? null,
      details: { from: o.from, to: o.to, source: o.source, ...(o.sourceId ? { sourceId: o.sourceId } : {}) },
    },
    o.log,
  );
  return revokeAllSessions({ db: o.db, userId: o.userId, ...(o.keep ? { keep: o.keep } : {}) });
}
