import { randomBytes, randomUUID } from 'node:crypto';
import { AppError } from '../../errors.js';
import { hashSecret } from '../../platform/crypto/tokens.js';
import type { Executor, VisitorCredentialsTable, WidgetsTable } from '../../platform/db/schema.js';
import { assertCredentialLive } from './credential-check.js';
import {
  findVisitorByExternalUser,
  insertIdentifiedVisitorIfAbsent,
} from './identified-visitor.repository.js';
import { findCredentialByHash, findVisitor, revokeCredential, touchVisitor } from './visitor.repository.js';

export interface IdentifiedVisitor {
  visitorId: string;
  visitorName: string;
  /** The presented credential, when it was this visitor's: the new one continues its lifetime. */
  previous: VisitorCredentialsTable | null;
  existed: boolean;
}

/**
 * The one visitor of this widget for a verified site user, created on first sight. Every device
 * that presents the same verified user id gets it, with its history. A credential presented along
 * with it is revoked either way (rotation, or this browser now belongs to another user), but only
 * one of the same visitor carries over: another visitor's cookie never merges into this history.
 */
export async function resolveIdentifiedVisitor(
  trx: Executor,
  o: { widget: WidgetsTable; userId: string; presented: string | undefined; at: string },
): Promise<IdentifiedVisitor> {
  const before = await findVisitorByExternalUser(trx, o.widget.id, o.userId);
  const newId = randomUUID();
  if (!before) {
    await insertIdentifiedVisitorIfAbsent(trx, {
      id: newId,
      workspace_id: o.widget.workspace_id,
      widget_id: o.widget.id,
      display_name: `Visitor ${randomBytes(2).toString('hex')}`,
      external_user_id: o.userId,
      created_at: o.at,
      last_seen_at: o.at,
    });
  }
  const visitor = before ?? (await findVisitorByExternalUser(trx, o.widget.id, o.userId));
  if (!visitor) throw new AppError('service_unavailable');
  // An UPDATE first: on PostgreSQL it holds the visitor's row lock until commit, so two devices
  // starting at once queue here and the second finds the conversation the first opened.
  await touchVisitor(trx, visitor.id, o.at);
  let previous: VisitorCredentialsTable | null = null;
  const presented = o.presented
    ? liveCredential(await findCredentialByHash(trx, hashSecret(o.presented)))
    : null;
  if (presented && presented.widget_id === o.widget.id && (await revokeCredential(trx, presented.id, o.at))) {
    if (presented.visitor_id === visitor.id) previous = presented;
  }
  return {
    visitorId: visitor.id,
    visitorName: visitor.display_name,
    previous,
    existed: visitor.id !== newId,
  };
}

/** A widget that requires identity serves only visitors whose identity was verified. */
export async function assertIdentifiedIfRequired(
  db: Executor,
  widget: Pick<WidgetsTable, 'require_identity'>,
  visitorId: string,
): Promise<void> {
  if (!widget.require_identity) return;
  const visitor = await findVisitor(db, visitorId);
  if (!visitor?.external_user_id) throw new AppError('identity_required');
}

function liveCredential(row: VisitorCredentialsTable | undefined): VisitorCredentialsTable | null {
  try {
    return assertCredentialLive(row);
  } catch {
    return null;
  }
}
