import { randomUUID } from 'node:crypto';
import type { Ticket } from '../../../protocol/api.js';
import { LIMITS } from '../../../protocol/limits.js';
import type { Config } from '../../config.js';
import { AppError } from '../../errors.js';
import { clock } from '../../platform/clock.js';
import { hashSecret, newSecret } from '../../platform/crypto/tokens.js';
import type { Db } from '../../platform/db/schema.js';
import { findWidgetById } from '../widgets/lookups.js';
import { allowedOriginsOf } from '../widgets/widget.presenter.js';
import { assertCredentialLive } from './credential-check.js';
import { assertIdentifiedIfRequired } from './identified-visitor.js';
import { assertVisitorOrigin } from './origin-policy.js';
import { deleteExpiredTickets, findCredentialByHash, insertTicket } from './visitor.repository.js';

/** A single-use, 30-second ticket that authenticates one WebSocket handshake for a visitor. */
export async function issueTicket(options: {
  db: Db;
  config: Pick<Config, 'publicOrigin'>;
  credential: string | undefined;
  /** When the credential came from a widget's cookie: it must belong to that widget. */
  widgetId?: string;
  requestOrigin: string | undefined;
}): Promise<Ticket> {
  const { db } = options;
  if (!options.credential) throw new AppError('credential_invalid');
  const credential = assertCredentialLive(await findCredentialByHash(db, hashSecret(options.credential)));
  const widget = await findWidgetById(db, credential.widget_id);
  if (!widget) throw new AppError('credential_invalid');
  if (options.widgetId && options.widgetId !== widget.id) throw new AppError('credential_invalid');
  assertVisitorOrigin(options.config, allowedOriginsOf(widget), options.requestOrigin);
  // Turning on "require identity" also ends chats of visitors who started anonymously before.
  await assertIdentifiedIfRequired(db, widget, credential.visitor_id);
  const ticket = newSecret();
  const now = clock.now();
  const expiresAt = new Date(now + LIMITS.ticketTtlMs).toISOString();
  await deleteExpiredTickets(db, new Date(now).toISOString());
  await insertTicket(db, {
    id: randomUUID(),
    workspace_id: credential.workspace_id,
    token_hash: hashSecret(ticket),
    visitor_id: credential.visitor_id,
    credential_id: credential.id,
    widget_id: credential.widget_id,
    expires_at: expiresAt,
    created_at: new Date(now).toISOString(),
  });
  return { ticket, expiresAt };
}
