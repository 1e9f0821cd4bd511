import { nowIso } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/schema.js';
import { revokeWorkspaceSessions } from './session-revocation.repository.js';

/**
 * Ends every agent session of a workspace (an incident: a leaked cookie, a compromised machine).
 * Pass the caller's transaction; the caller announces the ended sessions to every node after commit.
 * Everyone signs in again, with their second factor where they have one.
 */
export function endWorkspaceSessions(options: { db: Executor; workspaceId: string }): Promise<string[]> {
  return revokeWorkspaceSessions(options.db, options.workspaceId, nowIso());
}
