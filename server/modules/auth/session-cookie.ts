import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import type { Agent } from './agent.js';
import { SESSION_COOKIE } from './create-session.js';

/** Sets the agent session cookie: `__Host-`, HttpOnly, Secure, SameSite=Strict, whole site. */
export function setSessionCookie(reply: FastifyReply, session: { token: string; maxAgeSeconds: number }) {
  reply.setCookie(SESSION_COOKIE, session.token, {
    path: '/',
    httpOnly: true,
    secure: true,
    sameSite: 'strict',
    maxAge: session.maxAgeSeconds,
  });
}

/** Where a request came from, for new sessions and audit entries. */
export function requestClient(request: FastifyRequest) {
  return { ip: request.ip, userAgent: request.headers['user-agent'] ?? null };
}

/** The agent that access control attached to the request (routes with kind 'agent' or 'signed-in'). */
export function requestAgent(request: FastifyRequest): Agent {
  if (!request.agent) throw new AppError('unauthenticated');
  return request.agent;
}
