import { randomUUID } from 'node:crypto';
import type { Config } from '../../config.js';
import { clock, nowIso } from '../../platform/clock.js';
import { hashSecret, newSecret } from '../../platform/crypto/tokens.js';
import type { Db } from '../../platform/db/schema.js';
import { countMembers } from '../users/lookups.js';
import { createWorkspace } from '../workspaces/create-workspace.js';
import { oldestWorkspace } from '../workspaces/lookups.js';
import { expireUnusedSetupTokens, insertSetupToken } from './setup-token.repository.js';

export const SETUP_LINK_TTL_MS = 60 * 60 * 1000;

/**
 * A one-time link that creates a workspace's first administrator. There are no default credentials:
 * this link is the only way in. The token sits in the URL fragment, so it never reaches a server log.
 * Returns null when the workspace already has members.
 */
export async function createSetupLink(options: {
  db: Db;
  config: Pick<Config, 'publicUrl'>;
  workspaceId?: string;
}): Promise<{ url: string; workspaceId: string; expiresAt: string } | null> {
  return options.db.transaction().execute(async (trx) => {
    const workspace = options.workspaceId
      ? { id: options.workspaceId }
      : ((await oldestWorkspace(trx)) ?? (await createWorkspace({ db: trx, name: 'My workspace' })));
    if ((await countMembers(trx, workspace.id)) > 0) return null;
    const at = nowIso();
    await expireUnusedSetupTokens(trx, workspace.id, at);
    const token = newSecret();
    const expiresAt = new Date(clock.now() + SETUP_LINK_TTL_MS).toISOString();
    await insertSetupToken(trx, {
      id: randomUUID(),
      workspace_id: workspace.id,
      token_hash: hashSecret(token),
      created_at: at,
      expires_at: expiresAt,
      used_at: null,
    });
    return { url: `${options.config.publicUrl}/setup#token=${token}`, workspaceId: workspace.id, expiresAt };
  });
}
