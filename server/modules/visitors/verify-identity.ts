import { createHmac, timingSafeEqual } from 'node:crypto';
import type { VisitorIdentity } from '../../../protocol/identity.js';
import { AppError } from '../../errors.js';
import type { KeyRing } from '../../platform/crypto/key-ring.js';
import type { WidgetsTable } from '../../platform/db/schema.js';
import { openWidgetSecret } from './widget-secret.js';

/** `HMAC-SHA256(secret, userId)` as lowercase hex: what the embedding site's backend computes. */
export function identityHash(secret: string, userId: string): string {
  return createHmac('sha256', secret).update(userId, 'utf8').digest('hex');
}

/**
 * The site user a visitor may act as, or null for an anonymous visitor. A wrong hash is refused
 * (`identity_invalid`), never downgraded to anonymous; a widget that requires identity refuses
 * anonymous visitors (`identity_required`).
 */
export function verifiedUserId(
  ring: KeyRing,
  widget: Pick<WidgetsTable, 'id' | 'identity_secret' | 'require_identity'>,
  identity: VisitorIdentity | undefined,
): string | null {
  if (!identity) {
    if (widget.require_identity) throw new AppError('identity_required');
    return null;
  }
  const secret = openWidgetSecret(ring, widget.identity_secret, widget.id);
  if (!secret) throw new AppError('identity_invalid');
  const expected = Buffer.from(identityHash(secret, identity.userId), 'hex');
  const given = Buffer.from(identity.userHash, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new AppError('identity_invalid');
  }
  return identity.userId;
}
