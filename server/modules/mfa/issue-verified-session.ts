import type { Config } from '../../config.js';
import { nowIso } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/schema.js';
import type { PubSub } from '../../platform/pubsub/pubsub.js';
import type { Agent } from '../auth/agent.js';
import { createSession } from '../auth/create-session.js';
import { endSession } from '../auth/end-session.js';
import { clearFailures, insertVerifiedSession } from './session-factor.repository.js';

/**
 * A second factor was just proven: issue a NEW complete session (step-up rotation) and end the one
 * it replaces, so a session id seen before the second factor is worth nothing after it.
 */
export async function issueVerifiedSession(options: {
  db: Executor;
  pubsub: PubSub;
  config: Pick<Config, 'sessionAbsoluteMs'>;
  agent: Omit<Agent, 'sessionId' | 'stage'> & { sessionId: string | null };
  ip: string | null;
  userAgent: string | null;
}): Promise<{ agent: Agent; session: Awaited<ReturnType<typeof createSession>> }> {
  const { db, agent } = options;
  const session = await createSession({
    db,
    config: options.config,
    workspaceId: agent.workspaceId,
    userId: agent.userId,
    ip: options.ip,
    userAgent: options.userAgent,
    stage: 'full',
  });
  const at = nowIso();
  await insertVerifiedSession(
    db,
    { sessionId: session.id, workspaceId: agent.workspaceId, userId: agent.userId },
    at,
  );
  await clearFailures(db, agent.userId, at);
  if (agent.sessionId) await endSession({ db, pubsub: options.pubsub, sessionId: agent.sessionId });
  return { agent: { ...agent, sessionId: session.id, stage: 'full' }, session };
}
