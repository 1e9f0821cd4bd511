import type { Role } from '../../../protocol/common.js';
import type { ErrorCode } from '../../../protocol/errors.js';
import type { Config } from '../../config.js';
import { nowIso } from '../../platform/clock.js';
import type { KeyRing } from '../../platform/crypto/key-ring.js';
import type { Db } from '../../platform/db/schema.js';
import { recordAuditEvent, type SecurityLogger } from '../audit/record-audit-event.js';
import { changeRole } from '../users/change-role.js';
import { findUserByEmail } from '../users/lookups.js';
import { provisionDirectoryUser } from '../users/provision-directory-user.js';
import {
  findDirectoryAccount,
  findDirectoryByDomain,
  findDirectoryById,
  upsertDirectoryAccount,
} from './directory.repository.js';
import { emailDomain, loadDirectory } from './directory-settings.js';
import { findPerson, loginName } from './directory-user.js';
import { closeConnection, DirectoryError, openConnection, tryBind } from './ldap-connection.js';

export type DirectorySignIn =
  /** No directory answers for this email (or it is a local account such as the setup administrator). */
  | { kind: 'none' }
  | { kind: 'refused'; code: ErrorCode; workspaceId: string; userId: string | null }
  | {
      kind: 'accepted';
      userId: string;
      workspaceId: string;
      role: Role;
      /** Sessions a changed role ended: the caller announces them to every node. */
      ended: string[];
    };

/**
 * The password step of sign-in for an email whose domain a workspace's directory claims: find the
 * person with the search account (an RFC 4515-escaped filter), then bind as their DN with the typed
 * password (the directory judges the password; a search alone never signs anyone in), then map their
 * groups to a role and make or update their account. Every outcome is audited.
 */
export async function signInWithDirectory(options: {
  db: Db;
  ring: KeyRing;
  config: Pick<Config, 'directory'>;
  email: string;
  password: string;
  ip: string | null;
  log?: SecurityLogger & { warn?(obj: object, msg: string): void };
}): Promise<DirectorySignIn> {
  const { db, email } = options;
  const local = await findUserByEmail(db, email);
  const account = local ? await findDirectoryAccount(db, local.id) : undefined;
  // An account made here and never through the directory keeps its own password: the setup
  // administrator's way in when the directory is down (docs/OPERATIONS.md, break-glass).
  if (local && !account) return { kind: 'none' };
  // A directory account is judged by its directory only, even one switched off or removed: a local
  // password (say, from a reset) never opens it.
  const row = account
    ? await findDirectoryById(db, account.directory_id)
    : await findDirectoryByDomain(db, emailDomain(email));
  if (!row) {
    if (!account || !local) return { kind: 'none' };
    return {
      kind: 'refused',
      code: 'directory_access_denied',
      workspaceId: account.workspace_id,
      userId: local.id,
    };
  }
  if (row.enabled !== 1 && !account) return { kind: 'none' };

  const audit = (
    action: string,
    details: Record<string, string>,
    userId: string | null = local?.id ?? null,
  ) =>
    recordAuditEvent(
      db,
      {
        workspaceId: row.workspace_id,
        actor: userId ? { type: 'user', id: userId } : { type: 'system' },
        action,
        target: { type: 'directory', id: row.id },
        ip: options.ip,
        details,
      },
      options.log,
    );
  const refuse = async (code: ErrorCode, reason: string): Promise<DirectorySignIn> => {
    await audit('auth.directory.refused', { reason });
    return { kind: 'refused', code, workspaceId: row.workspace_id, userId: local?.id ?? null };
  };
  if (row.enabled !== 1) return refuse('directory_access_denied', 'directory_disabled');
  // An empty password would be an unauthenticated bind, which directories answer with "success".
  if (options.password.length === 0) return refuse('invalid_credentials', 'empty_password');

  const directory = await loadDirectory(db, options.ring, row, options.config.directory.timeoutMs);
  let person: Awaited<ReturnType<typeof findPerson>>;
  let passwordOk = false;
  try {
    const client = await openConnection(directory.endpoint);
    try {
      if (!(await tryBind(client, directory.bindDn, directory.bindPassword)))
        throw new DirectoryError('service_bind', 'the search account was refused');
      person = await findPerson(client, directory.settings, loginName(row.user_attribute, email));
      if (person) passwordOk = await tryBind(client, person.dn, options.password);
    } finally {
      await closeConnection(client);
    }
  } catch (err) {
    const step = err instanceof DirectoryError ? err.step : 'unreachable';
    options.log?.warn?.(
      { security: true, event: 'directory.unavailable', step },
      'directory unavailable at sign-in',
    );
    return refuse('directory_unavailable', step);
  }
  if (!person) return refuse('invalid_credentials', 'not_found');
  if (!passwordOk) return refuse('invalid_credentials', 'wrong_password');
  if (person.refusal || !person.role)
    return refuse('directory_access_denied', person.refusal ?? 'no_mapped_group');

  const role = person.role;
  const outcome = await db.transaction().execute(async (trx) => {
    const made = await provisionDirectoryUser({
      db: trx,
      workspaceId: row.workspace_id,
      email,
      name: person.name,
      role,
    });
    await upsertDirectoryAccount(trx, {
      user_id: made.userId,
      directory_id: row.id,
      workspace_id: row.workspace_id,
      dn: person.dn,
      checked_at: nowIso(),
    });
    if (made.created)
      await recordAuditEvent(trx, {
        workspaceId: row.workspace_id,
        actor: { type: 'system' },
        action: 'user.provisioned',
        target: { type: 'user', id: made.userId },
        ip: options.ip,
        details: { source: 'directory', role },
      });
    // The groups decide the role on every sign-in, through the one role-change path.
    const ended = made.previousRole
      ? await changeRole({
          db: trx,
          workspaceId: row.workspace_id,
          userId: made.userId,
          from: made.previousRole,
          to: role,
          actor: { type: 'system' },
          source: 'directory',
          sourceId: row.id,
          ip: options.ip,
          ...(options.log ? { log: options.log } : {}),
        })
      : [];
    return { ...made, ended };
  });
  if (outcome.disabled) return refuse('account_disabled', 'disabled_in_parley');
  return {
    kind: 'accepted',
    userId: outcome.userId,
    workspaceId: row.workspace_id,
    role,
    ended: outcome.ended,
  };
}
