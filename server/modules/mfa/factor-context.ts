import type { Config } from '../../config.js';
import type { KeyRing } from '../../platform/crypto/key-ring.js';
import type { Db } from '../../platform/db/schema.js';
import type { PubSub } from '../../platform/pubsub/pubsub.js';
import type { SecurityLogger } from '../audit/record-audit-event.js';
import type { Agent } from '../auth/agent.js';

/** What every second-factor command needs: storage, the caller and where the request came from. */
export interface FactorContext {
  db: Db;
  pubsub: PubSub;
  config: Config;
  /** The master key ring: TOTP secrets are sealed under it. */
  ring: KeyRing;
  agent: Agent;
  ip: string | null;
  userAgent: string | null;
  log?: SecurityLogger;
}

/** Auditing as the signed-in user, from the request's address. */
export function auditActor(ctx: Pick<FactorContext, 'agent' | 'ip'>) {
  return {
    workspaceId: ctx.agent.workspaceId,
    actor: { type: 'user' as const, id: ctx.agent.userId },
    ip: ctx.ip,
  };
}
