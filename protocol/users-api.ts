import { type Static, Type } from '@sinclair/typebox';
import { Id, IsoTime, QueryTime, Role } from './common.js';
import { LIMITS } from './limits.js';
import { Closed } from './responses.js';

/** Users, invitations, passwords, sessions, outbox and audit log. See docs/PROTOCOL.md §2.7. */

const Email = Type.String({ minLength: 3, maxLength: LIMITS.maxEmailChars, pattern: '^[^\\s@]+@[^\\s@]+$' });
const Password = Type.String({ minLength: 1, maxLength: LIMITS.maxPasswordChars });
const Name = Type.String({ minLength: 1, maxLength: LIMITS.maxNameChars });
/** A date or UTC date-time, e.g. 2026-11-22 or 2026-11-22T10:00:00Z. */
const LinkToken = Type.String({ minLength: 20, maxLength: 100 });

export const Member = Closed({
  id: Id,
  email: Type.String(),
  name: Type.String(),
  role: Role,
  disabled: Type.Boolean(),
  createdAt: IsoTime,
  lastSeenAt: Type.Union([IsoTime, Type.Null()]),
});
export type Member = Static<typeof Member>;

export const MemberPatch = Type.Object(
  { role: Type.Optional(Role), disabled: Type.Optional(Type.Boolean()) },
  { additionalProperties: false, minProperties: 1 },
);
export type MemberPatch = Static<typeof MemberPatch>;

export const InviteBody = Type.Object({ email: Email, role: Role }, { additionalProperties: false });
export type InviteBody = Static<typeof InviteBody>;

export const Invite = Closed({
  id: Id,
  email: Type.String(),
  role: Role,
  createdAt: IsoTime,
  expiresAt: IsoTime,
  status: Type.Union([
    Type.Literal('pending'),
    Type.Literal('accepted'),
    Type.Literal('expired'),
    Type.Literal('revoked'),
  ]),
  /** How the link left: through SMTP, into the outbox, or not at all (the mail server refused it). */
  delivery: Type.Optional(Type.Union([Type.Literal('smtp'), Type.Literal('outbox'), Type.Literal('failed')])),
});
export type Invite = Static<typeof Invite>;

export const AcceptInviteBody = Type.Object(
  { token: LinkToken, name: Name, password: Password },
  { additionalProperties: false },
);
export type AcceptInviteBody = Static<typeof AcceptInviteBody>;

export const PasswordResetRequestBody = Type.Object({ email: Email }, { additionalProperties: false });
export type PasswordResetRequestBody = Static<typeof PasswordResetRequestBody>;

export const PasswordResetBody = Type.Object(
  { token: LinkToken, password: Password },
  { additionalProperties: false },
);
export type PasswordResetBody = Static<typeof PasswordResetBody>;

export const ChangePasswordBody = Type.Object(
  { currentPassword: Password, newPassword: Password },
  { additionalProperties: false },
);
export type ChangePasswordBody = Static<typeof ChangePasswordBody>;

export const SessionInfo = Closed({
  id: Id,
  current: Type.Boolean(),
  /** A short description of the browser and system, from the User-Agent at sign-in. */
  device: Type.String(),
  ip: Type.Union([Type.String(), Type.Null()]),
  createdAt: IsoTime,
  lastSeenAt: IsoTime,
  expiresAt: IsoTime,
});
export type SessionInfo = Static<typeof SessionInfo>;

export const OutboxMail = Closed({
  id: Id,
  to: Type.String(),
  subject: Type.String(),
  /** Plain text. A password reset link addressed to someone else than the reader is replaced by a note. */
  body: Type.String(),
  kind: Type.Union([Type.Literal('invitation'), Type.Literal('password_reset')]),
  /** True when the body's link was kept from this reader (see `linkHidden` in docs/PROTOCOL.md). */
  linkHidden: Type.Boolean(),
  createdAt: IsoTime,
  expiresAt: IsoTime,
});
export type OutboxMail = Static<typeof OutboxMail>;

/** The outbox and whether mail goes out through SMTP or stays in it. */
export const OutboxList = Closed({
  mode: Type.Union([Type.Literal('smtp'), Type.Literal('outbox')]),
  items: Type.Array(OutboxMail),
});

export const AuditQuery = Type.Object(
  {
    action: Type.Optional(Type.String({ maxLength: 80, pattern: '^[a-z_.]+$' })),
    actorId: Type.Optional(Type.String({ maxLength: 80 })),
    targetId: Type.Optional(Type.String({ maxLength: 80 })),
    since: Type.Optional(QueryTime),
    until: Type.Optional(QueryTime),
    beforeSeq: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuery>;

export const AuditEntry = Closed({
  seq: Type.Integer(),
  occurredAt: IsoTime,
  actor: Closed({
    type: Type.String(),
    id: Type.Union([Type.String(), Type.Null()]),
    name: Type.Union([Type.String(), Type.Null()]),
  }),
  action: Type.String(),
  target: Type.Union([Closed({ type: Type.String(), id: Type.String() }), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  details: Type.Record(
    Type.String(),
    Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]),
  ),
  hash: Type.String(),
});
export type AuditEntry = Static<typeof AuditEntry>;

/** A page of the audit log, newest first; `nextBeforeSeq` asks for the next page. */
export const AuditPage = Closed({
  items: Type.Array(AuditEntry),
  nextBeforeSeq: Type.Union([Type.Integer(), Type.Null()]),
});
