import type { Config } from '../../config.js';
import { AppError } from '../../errors.js';
import { clock } from '../../platform/clock.js';
import { hashSecret } from '../../platform/crypto/tokens.js';
import type { Executor } from '../../platform/db/schema.js';
import type { Agent } from './agent.js';
import { findSessionByTokenHash, touchSession } from './session.repository.js';

/** Only every this often is last-seen written, so a busy dashboard does not write on every request. */
const TOUCH_EVERY_MS = 30_000;

/** Resolves a session cookie to its agent, enforcing revocation, idle and absolute timeouts. */
export async function authenticateSession(options: {
  db: Executor;
  config: Pick<Config, 'sessionIdleMs'>;
  token: string | undefined;
}): Promise<Agent> {
  if (!options.token || options.token.length > 100) throw new AppError('unauthenticated');
  const row = await findSessionByTokenHash(options.db, hashSecret(options.token));
  if (!row) throw new AppError('unauthenticated');
  const now = clock.now();
  const idleDeadline = Date.parse(row.lastSeenAt) + options.config.sessionIdleMs;
  if (row.revokedAt || row.disabledAt || now >= Date.parse(row.expiresAt) || now >= idleDeadline) {
    throw new AppError('session_expired');
  }
  if (now - Date.parse(row.lastSeenAt) > TOUCH_EVERY_MS) {
    await touchSession(options.db, row.sessionId, new Date(now).toISOString());
  }
  return {
    userId: row.userId,
    sessionId: row.sessionId,
    workspaceId: row.workspaceId,
    role: row.role,
    name: row.name,
    email: row.email,
    stage: row.stage,
  };
}
