import { AppError } from '../../errors.js';
import { clock } from '../../platform/clock.js';
import { hashSecret } from '../../platform/crypto/tokens.js';
import type { Db } from '../../platform/db/schema.js';
import { findOpenConversationOfVisitor } from '../conversations/lookups.js';
import { findWidgetById } from '../widgets/lookups.js';
import { allowedOriginsOf } from '../widgets/widget.presenter.js';
import { consumeTicketRow, findVisitor } from './visitor.repository.js';

export interface TicketHolder {
  visitorId: string;
  workspaceId: string;
  widgetId: string;
  conversationId: string;
  credentialId: string;
  name: string;
}

/**
 * Spends a visitor's single-use WebSocket ticket (realtime's handshake): it must exist, be unspent
 * and unexpired, and the socket must come from Parley's origin or one the widget allows.
 */
export async function redeemTicket(options: {
  db: Db;
  ticket: string;
  origin: string | undefined;
  publicOrigin: string;
}): Promise<TicketHolder> {
  const { db, ticket, origin } = options;
  const row = ticket.length <= 100 ? await consumeTicketRow(db, hashSecret(ticket)) : undefined;
  if (!row || clock.now() >= Date.parse(row.expires_at)) throw new AppError('ticket_invalid');
  const widget = await findWidgetById(db, row.widget_id);
  if (!widget) throw new AppError('ticket_invalid');
  if (origin !== undefined && origin !== options.publicOrigin && !allowedOriginsOf(widget).includes(origin)) {
    throw new AppError('origin_not_allowed');
  }
  const visitor = await findVisitor(db, row.visitor_id);
  if (!visitor) throw new AppError('ticket_invalid');
  const conversation = await findOpenConversationOfVisitor(db, visitor.id, widget.id);
  return {
    visitorId: visitor.id,
    workspaceId: visitor.workspace_id,
    widgetId: widget.id,
    conversationId: conversation?.id ?? '',
    credentialId: row.credential_id,
    name: visitor.display_name,
  };
}
