import type { Client } from 'ldapts';
import type { Role } from '../../../protocol/common.js';
import type { Config } from '../../config.js';
import { nowIso } from '../../platform/clock.js';
import type { KeyRing } from '../../platform/crypto/key-ring.js';
import type { Db } from '../../platform/db/schema.js';
import type { PubSub } from '../../platform/pubsub/pubsub.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { announceEndedSessions, revokeAllSessions } from '../auth/end-session.js';
import { changeRole } from '../users/change-role.js';
import { findMembership, findUserById } from '../users/lookups.js';
import {
  deleteOrphanAccounts,
  findDirectoryById,
  listAccountsWithLiveSessions,
  markChecked,
} from './directory.repository.js';
import { loadDirectory } from './directory-settings.js';
import { findPerson, loginName, normalizeDn } from './directory-user.js';
import { closeConnection, openConnection, tryBind } from './ldap-connection.js';

const BATCH = 100;

interface Opened {
  client: Client;
  directory: Awaited<ReturnType<typeof loadDirectory>>;
  userAttribute: string;
}

export interface RecheckResult {
  checked: number;
  ended: number;
  /** Accounts whose groups now map to another role: changed, audited, sessions ended. */
  roleChanges: number;
  /** Directories that could not be asked: their members keep their sessions until the next run. */
  unreachable: number;
  completed: boolean;
}

/**
 * Asks the directory again about every directory-backed account that has a live session. One that
 * is gone (no longer found under the filter, or under another DN), disabled there, or in no mapped
 * group any more loses every session at once, and its sockets on every node close. One whose groups
 * map to another role gets it through the one role-change path (audited; its sessions end, so the
 * next sign-in carries the new role). A directory that cannot be reached ends nobody's session: an outage is not a
 * dismissal (docs/OPERATIONS.md). Bounded batches; `keepGoing` renews the lease between them.
 */
export async function recheckDirectoryAccounts(options: {
  db: Db;
  ring: KeyRing;
  pubsub: PubSub;
  config: Pick<Config, 'directory'>;
  keepGoing: () => Promise<boolean>;
}): Promise<RecheckResult> {
  const { db } = options;
  const opened = new Map<string, Opened | null>();
  const result: RecheckResult = { checked: 0, ended: 0, roleChanges: 0, unreachable: 0, completed: false };
  const open = async (directoryId: string): Promise<Opened | null> => {
    if (opened.has(directoryId)) return opened.get(directoryId) ?? null;
    const row = await findDirectoryById(db, directoryId);
    let value: Opened | null = null;
    if (row && row.enabled === 1) {
      const directory = await loadDirectory(db, options.ring, row, options.config.directory.timeoutMs);
      try {
        const client = await openConnection(directory.endpoint);
        if (await tryBind(client, directory.bindDn, directory.bindPassword))
          value = { client, directory, userAttribute: row.user_attribute };
        else await closeConnection(client);
      } catch {
        value = null;
      }
      if (!value) result.unreachable += 1;
    }
    opened.set(directoryId, value);
    return value;
  };
  await deleteOrphanAccounts(db);
  try {
    let after = '';
    for (;;) {
      if (!(await options.keepGoing())) return result;
      const accounts = await listAccountsWithLiveSessions(db, nowIso(), after, BATCH);
      if (accounts.length === 0) break;
      for (const account of accounts) {
        after = account.userId;
        const conn = await open(account.directoryId);
        const user = await findUserById(db, account.userId);
        const membership = user ? await findMembership(db, account.workspaceId, user.id) : undefined;
        let reason: string | null = null;
        if (!conn) {
          // A directory switched off signs nobody in, so its sessions end too; an unreachable one ends none.
          const row = await findDirectoryById(db, account.directoryId);
          if (row && row.enabled === 1) continue;
          reason = 'directory_disabled';
        } else if (user && membership) {
          let person: Awaited<ReturnType<typeof findPerson>>;
          try {
            person = await findPerson(
              conn.client,
              conn.directory.settings,
              loginName(conn.userAttribute, user.email),
            );
          } catch {
            result.unreachable += 1;
            continue;
          }
          result.checked += 1;
          if (!person || normalizeDn(person.dn) !== normalizeDn(account.dn)) reason = 'not_found';
          else if (person.refusal) reason = person.refusal;
          else if (person.role && person.role !== membership.role) {
            const ended = await options.db.transaction().execute((trx) =>
              changeRole({
                db: trx,
                workspaceId: account.workspaceId,
                userId: account.userId,
                from: membership.role,
                to: person.role as Role,
                actor: { type: 'system' },
                source: 'directory',
                sourceId: account.directoryId,
              }),
            );
            await announceEndedSessions(options.pubsub, ended);
            result.roleChanges += 1;
          }
        }
        if (reason) {
          result.ended += await endSessions(
            options,
            account.workspaceId,
            account.userId,
            account.directoryId,
            reason,
          );
        } else await markChecked(db, account.userId, nowIso());
      }
    }
    result.completed = true;
    return result;
  } finally {
    for (const conn of opened.values()) if (conn) await closeConnection(conn.client);
  }
}

async function endSessions(
  options: { db: Db; pubsub: PubSub },
  workspaceId: string,
  userId: string,
  directoryId: string,
  reason: string,
): Promise<number> {
  const ended = await options.db.transaction().execute(async (trx) => {
    const ids = await revokeAllSessions({ db: trx, userId });
    await recordAuditEvent(trx, {
      workspaceId,
      actor: { type: 'system' },
      action: 'auth.directory.sessions_ended',
      target: { type: 'user', id: userId },
      details: { reason, directoryId, sessions: ids.length },
    });
    return ids;
  });
  await announceEndedSessions(options.pubsub, ended);
  return ended.length;
}
