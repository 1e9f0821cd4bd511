import type { Db } from '../../platform/db/schema.js';
import type { PubSub } from '../../platform/pubsub/pubsub.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { revokeWorkspaceCredentials } from '../visitors/revoke-workspace-credentials.js';
import { findWorkspace, listWorkspaceIds } from '../workspaces/lookups.js';
import { CONTROL_CHANNEL } from './end-session.js';
import { endWorkspaceSessions } from './end-workspace-sessions.js';

export interface EndedCredentials {
  workspaceId: string;
  sessions: number;
  visitorCredentials: number;
  tickets: number;
}

/**
 * The incident command (`parley sessions end`): ends every agent session and visitor credential of
 * one workspace, or of all (`workspaceId: null`). Each workspace's revocations and its audit entry
 * commit together. Then every node that hears pub/sub closes the sockets of those workspaces at once;
 * a node that does not (one node, in-process pub/sub, the command run from another process) closes
 * agent sockets at its next session check (one heartbeat) and visitors' at their next reconnect.
 * Returns null when the workspace does not exist.
 */
export async function endAllCredentials(options: {
  db: Db;
  pubsub: PubSub | null;
  workspaceId: string | null;
  via: 'cli';
}): Promise<EndedCredentials[] | null> {
  const { db } = options;
  let workspaceIds: string[];
  if (options.workspaceId === null) workspaceIds = await listWorkspaceIds(db);
  else if (await findWorkspace(db, options.workspaceId)) workspaceIds = [options.workspaceId];
  else return null;
  const ended: EndedCredentials[] = [];
  for (const workspaceId of workspaceIds) {
    const result = await db.transaction().execute(async (trx) => {
      const sessionIds = await endWorkspaceSessions({ db: trx, workspaceId });
      const visitors = await revokeWorkspaceCredentials({ db: trx, workspaceId });
      await recordAuditEvent(trx, {
        workspaceId,
        actor: { type: 'system' },
        action: 'security.credentials.ended',
        details: {
          sessions: sessionIds.length,
          visitorCredentials: visitors.credentials,
          tickets: visitors.tickets,
          scope: options.workspaceId === null ? 'all' : 'workspace',
          via: options.via,
        },
      });
      return {
        workspaceId,
        sessions: sessionIds.length,
        visitorCredentials: visitors.credentials,
        tickets: visitors.tickets,
      };
    });
    ended.push(result);
  }
  await options.pubsub?.publish(
    CONTROL_CHANNEL,
    JSON.stringify({ kind: 'credentials.ended', workspaceId: options.workspaceId }),
  );
  return ended;
}
