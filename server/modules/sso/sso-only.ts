import { nowIso } from '../../platform/clock.js';
import type { Db, Executor } from '../../platform/db/schema.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { findFirstAdministrator } from '../users/lookups.js';
import { findSsoOnly, upsertSsoOnly } from './provider.repository.js';

/**
 * Whether a password may sign this user in. With SSO-only on, only the workspace's first
 * administrator keeps a password: the break-glass way in when the provider is down or misconfigured.
 */
export async function passwordSignIn(
  db: Executor,
  user: { userId: string; workspaceId: string },
): Promise<'allowed' | 'break-glass' | 'off'> {
  if (!(await findSsoOnly(db, user.workspaceId))) return 'allowed';
  const first = await findFirstAdministrator(db, user.workspaceId);
  return first?.user_id === user.userId ? 'break-glass' : 'off';
}

export async function readSsoOnly(db: Executor, workspaceId: string): Promise<boolean> {
  return findSsoOnly(db, workspaceId);
}

export async function setSsoOnly(o: {
  db: Db;
  workspaceId: string;
  actorId: string;
  ip: string | null;
  ssoOnly: boolean;
}): Promise<void> {
  await o.db.transaction().execute(async (trx) => {
    await upsertSsoOnly(trx, o.workspaceId, o.ssoOnly, nowIso());
    await recordAuditEvent(trx, {
      workspaceId: o.workspaceId,
      actor: { type: 'user', id: o.actorId },
      action: 'sso.settings.changed',
      ip: o.ip,
      details: { ssoOnly: o.ssoOnly },
    });
  });
}
