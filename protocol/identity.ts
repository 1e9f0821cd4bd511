import { type Static, Type } from '@sinclair/typebox';
import { Id, IsoTime } from './common.js';
import { LIMITS } from './limits.js';
import { Closed } from './responses.js';

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
export const WidgetIdentitySecret = Closed({ secret: Type.String() });
export type WidgetIdentitySecret = Static<typeof WidgetIdentitySecret>;

/** A visitor as a workspace member or a site backend (scope `visitors:read`) sees it. */
export const WorkspaceVisitor = Closed({
  id: Id,
  widgetId: Id,
  name: Type.String(),
  /** The site's user id, when the visitor's identity was verified; null for anonymous visitors. */
  userId: Type.Union([Type.String(), Type.Null()]),
  openConversationId: Type.Union([Id, Type.Null()]),
  createdAt: IsoTime,
  lastSeenAt: IsoTime,
});
export type WorkspaceVisitor = Static<typeof WorkspaceVisitor>;

/** Finds the visitor a widget has for one of the site's verified users. */
export const VisitorUserLookupBody = Type.Object(
  { widgetId: Id, userId: UserId },
  { additionalProperties: false },
);
export type VisitorUserLookupBody = Static<typeof VisitorUserLookupBody>;
