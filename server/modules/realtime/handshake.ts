import type { FastifyRequest } from 'fastify';
import { WS_PROTOCOL, WS_TICKET_PREFIX } from '../../../protocol/ws-close-codes.js';
import type { Config } from '../../config.js';
import { AppError } from '../../errors.js';
import type { Db } from '../../platform/db/schema.js';
import type { Agent } from '../auth/agent.js';
import { authenticateSession } from '../auth/authenticate-session.js';
import { SESSION_COOKIE } from '../auth/create-session.js';
import { redeemTicket } from '../visitors/redeem-ticket.js';

export type SocketPrincipal =
  | { kind: 'agent'; agent: Agent }
  | {
      kind: 'visitor';
      visitorId: string;
      workspaceId: string;
      widgetId: string;
      conversationId: string;
      credentialId: string;
      name: string;
    };

export function offeredProtocols(request: FastifyRequest): string[] {
  const header = request.headers['sec-websocket-protocol'];
  return (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

/**
 * Runs before the upgrade (a preValidation hook): a refusal is an ordinary HTTP error response and
 * no WebSocket is ever opened. Agents: Parley's own Origin and a live session cookie. Visitors: a
 * single-use ticket offered as a sub-protocol, from Parley's origin or one the widget allows.
 */
export async function authenticateHandshake(options: {
  db: Db;
  config: Pick<Config, 'publicOrigin' | 'sessionIdleMs'>;
  request: FastifyRequest;
}): Promise<SocketPrincipal> {
  const { db, config, request } = options;
  const protocols = offeredProtocols(request);
  if (!protocols.includes(WS_PROTOCOL)) {
    throw new AppError('invalid_request', { message: `Offer the "${WS_PROTOCOL}" WebSocket sub-protocol.` });
  }
  const origin = request.headers.origin;
  const ticket = protocols.find((p) => p.startsWith(WS_TICKET_PREFIX))?.slice(WS_TICKET_PREFIX.length);
  if (ticket === undefined) {
    // Cross-site WebSocket hijacking defence: a cookie-authenticated socket must come from the dashboard.
    if (origin !== config.publicOrigin) throw new AppError('cross_origin_refused');
    const agent = await authenticateSession({ db, config, token: request.cookies[SESSION_COOKIE] });
    if (agent.stage === 'mfa') throw new AppError('mfa_required');
    if (agent.stage === 'enroll') throw new AppError('mfa_enrollment_required');
    return { kind: 'agent', agent };
  }
  // Browsers always send Origin on an upgrade; without one nothing vouches for the embedding page.
  if (origin === undefined) throw new AppError('origin_not_allowed');
  const holder = await redeemTicket({ db, ticket, origin, publicOrigin: config.publicOrigin });
  return { kind: 'visitor', ...holder };
}
