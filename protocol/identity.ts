import { type Static, Type } from '@sinclair/typebox';
import { LIMITS } from './limits.js';

/**
 * Identity verification: the embedding site's backend vouches for its signed-in user by computing
 * `HMAC-SHA256(widget identity secret, userId)` as lowercase hex. See docs/PROTOCOL.md §2.6.
 */
/** Any printable text up to 200 characters; control characters are refused. */
export const UserId = Type.String({
  minLength: 1,
  maxLength: LIMITS.maxUserIdChars,
  pattern: '^[^\\u0000-\\u001f\\u007f]+$',
});
export const UserHash = Type.String({ pattern: '^[0-9a-fA-F]{64}$' });

export const VisitorIdentity = Type.Object(
  { userId: UserId, userHash: UserHash },
  { additionalProperties: false },
);
export type VisitorIdentity = Static<typeof VisitorIdentity>;

/** Shown to administrators only; computing the HMAC needs it, so the server keeps it retrievable. */
export const WidgetIdentitySecret = Type.Object({ secret: Type.String() });
export type WidgetIdentitySecret = Static<typeof WidgetIdentitySecret>;
