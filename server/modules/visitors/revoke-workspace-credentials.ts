import { nowIso } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/schema.js';
import { revokeWorkspaceCredentials as revoke } from './credential-revocation.repository.js';

/**
 * Revokes every visitor credential of a workspace and its unused WebSocket tickets (an incident).
 * Visitors keep their conversations and data; the widget starts them a new session (a new visitor:
 * the old credential was the only link, unless the site verifies who they are).
 */
export function revokeWorkspaceCredentials(options: {
  db: Executor;
  workspaceId: string;
}): Promise<{ credentials: number; tickets: number }> {
  return revoke(options.db, options.workspaceId, nowIso());
}
