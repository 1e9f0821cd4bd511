import type { FastifyRequest } from 'fastify';
import { WS_PROTOCOL, WS_TICKET_PREFIX } from '../../../protocol/ws-close-codes.js';
import type { Config } from '../../config.js';
import { AppError } from '../../errors.js';
import { clock } from '../../platform/clock.js';
import { hashSecret } from '../../platform/crypto/tokens.js';
import type { Db } from '../../platform/db/schema.js';
import type { Agent } from '../auth/agent.js';
import { authenticateSession } from '../auth/authenticate-session.js';
import { SESSION_COOKIE } from '../auth/create-session.js';
import { findOpenConversationOfVisitor } from '../conversations/conversation.repository.js';
import { consumeTicketRow, findVisitor } from '../visitors/visitor.repository.js';
import { allowedOriginsOf } from '../widgets/widget.presenter.js';
import { findWidgetById } from '../widgets/widget.repository.js';

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
  const row = ticket.length <= 100 ? await consumeTicketRow(db, hashSecret(ticket)) : undefined;
  if (!row || clock.now() >= Date.parse(row.expires_at)) throw new AppError('ticket_invalid');
  const widget = await findWidgetById(db, row.widget_id);
  if (!widget) throw new AppError('ticket_invalid');
  if (origin !== config.publicOrigin && !allowedOriginsOf(widget).includes(origin)) {
    throw new AppError('origin_not_allowed');
  }
  const visitor = await findVisitor(db, row.visitor_id);
  if (!visitor) throw new AppError('ticket_invalid');
  const conversation = await findOpenConversationOfVisitor(db, visitor.id, widget.id);
  return {
    kind: 'visitor',
    visitorId: visitor.id,
    workspaceId: visitor.workspace_id,
    widgetId: widget.id,
    conversationId: conversation?.id ?? '',
    credentialId: row.credential_id,
    name: visitor.display_name,
  };
}
