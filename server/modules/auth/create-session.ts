import { randomUUID } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import type { Config } from '../../config.js';
import { clock } from '../../platform/clock.js';
import { hashSecret, newSecret } from '../../platform/crypto/tokens.js';
import type { Executor, SessionStage } from '../../platform/db/schema.js';
import { insertSession } from './session.repository.js';

export const SESSION_COOKIE = '__Host-parley_session';

/** A new server-side session: the cookie carries a fresh 256-bit secret, the table only its hash. */
export async function createSession(options: {
  db: Executor;
  config: Pick<Config, 'sessionAbsoluteMs'>;
  workspaceId: string;
  userId: string;
  ip: string | null;
  userAgent: string | null;
  /** 'full' unless the user still owes a second factor or MFA enrollment. */
  stage?: SessionStage;
}) {
  const token = newSecret();
  const now = clock.now();
  const at = new Date(now).toISOString();
  const id = randomUUID();
  await insertSession(options.db, {
    id,
    workspace_id: options.workspaceId,
    user_id: options.userId,
    token_hash: hashSecret(token),
    ip: options.ip,
    user_agent: options.userAgent?.slice(0, 300) ?? null,
    created_at: at,
    last_seen_at: at,
    expires_at: new Date(now + options.config.sessionAbsoluteMs).toISOString(),
    revoked_at: null,
    stage: options.stage ?? 'full',
  });
  return { id, token, maxAgeSeconds: Math.floor(options.config.sessionAbsoluteMs / 1000) };
}

const COOKIE_OPTIONS = { path: '/', httpOnly: true, secure: true, sameSite: 'strict' } as const;

export function setSessionCookie(reply: FastifyReply, token: string, maxAgeSeconds: number): void {
  reply.setCookie(SESSION_COOKIE, token, { ...COOKIE_OPTIONS, maxAge: maxAgeSeconds });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, COOKIE_OPTIONS);
}
