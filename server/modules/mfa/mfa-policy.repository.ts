import type { Role } from '../../../protocol/common.js';
import type { Executor } from '../../platform/db/schema.js';
import type { MfaPoliciesTable } from '../../platform/db/schema-mfa.js';
import { requireEnrollment } from '../auth/session-state.js';

export function findMfaPolicy(db: Executor, workspaceId: string) {
  return db.selectFrom('mfa_policies').selectAll().where('workspace_id', '=', workspaceId).executeTakeFirst();
}

export async function saveMfaPolicy(db: Executor, row: MfaPoliciesTable): Promise<void> {
  await db
    .insertInto('mfa_policies')
    .values(row)
    .onConflict((oc) =>
      oc.column('workspace_id').doUpdateSet({
        workspace_required: row.workspace_required,
        required_roles: row.required_roles,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

/**
 * Live, complete sessions of members with one of `roles` and no second factor at all. A new policy
 * sends them to enrollment at once, not at their next sign-in.
 */
export async function downgradeSessionsWithoutMfa(
  db: Executor,
  workspaceId: string,
  roles: readonly Role[],
  at: string,
): Promise<string[]> {
  if (roles.length === 0) return [];
  const rows = await db
    .selectFrom('sessions')
    .innerJoin('memberships', (j) =>
      j
        .onRef('memberships.user_id', '=', 'sessions.user_id')
        .onRef('memberships.workspace_id', '=', 'sessions.workspace_id'),
    )
    .select('sessions.id')
    .where('sessions.workspace_id', '=', workspaceId)
    .where('sessions.stage', '=', 'full')
    .where('sessions.revoked_at', 'is', null)
    .where('sessions.expires_at', '>', at)
    .where('memberships.role', 'in', [...roles])
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('totp_credentials')
            .select('totp_credentials.id')
            .whereRef('totp_credentials.user_id', '=', 'sessions.user_id')
            .where('totp_credentials.confirmed_at', 'is not', null),
        ),
      ),
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('passkeys').select('passkeys.id').whereRef('passkeys.user_id', '=', 'sessions.user_id'),
        ),
      ),
    )
    .execute();
  const ids = rows.map((r) => r.id);
  await requireEnrollment(db, ids);
  return ids;
}
