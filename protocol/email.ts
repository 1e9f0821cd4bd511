import { type Static, Type } from '@sinclair/typebox';
import { ClientId, Id, IsoTime, MessageBody, Seq } from './common.js';
import { Closed } from './responses.js';

/** Replies by email: the visitor's transcript request, unsubscribing, and an agent's follow-up. */

export const TranscriptEmailBody = Type.Object(
  { widgetId: Type.Optional(Id) },
  { additionalProperties: false },
);

/** The token from an unsubscribe link (`/unsubscribe#token=…`). */
export const UnsubscribeBody = Type.Object(
  { token: Type.String({ minLength: 10, maxLength: 100, pattern: '^[A-Za-z0-9_.-]+$' }) },
  { additionalProperties: false },
);

export const FollowUpBody = Type.Object(
  { clientId: ClientId, body: MessageBody },
  { additionalProperties: false },
);

export const FollowUpPosted = Closed({
  seq: Seq,
  createdAt: IsoTime,
  duplicate: Type.Boolean(),
  /** False on a resend whose mail went with the original. */
  mailed: Type.Boolean(),
});

/**
 * Whether an agent can follow up by email, without the address: `reason` says why not (no SMTP
 * server, no address left or it expired, the visitor unsubscribed).
 */
/** The receiving relay's verdicts on one mail a customer sent to an email channel (RFC 8601 results). */
export const MailCheck = Closed({
  seq: Type.Integer({ minimum: 1 }),
  spf: Type.Union([Type.String(), Type.Null()]),
  dkim: Type.Union([Type.String(), Type.Null()]),
  dmarc: Type.Union([Type.String(), Type.Null()]),
});
export type MailCheck = Static<typeof MailCheck>;

export const EmailStatus = Closed({
  available: Type.Boolean(),
  reason: Type.Union([
    Type.Literal('no_smtp'),
    Type.Literal('no_address'),
    Type.Literal('opted_out'),
    Type.Null(),
  ]),
  /** When Parley last mailed this conversation to the visitor. */
  lastMailedAt: Type.Union([IsoTime, Type.Null()]),
  /** Email channel conversations: the verdicts on the customer's mails, by message seq (newest 200). */
  mailChecks: Type.Array(MailCheck),
});
export type EmailStatus = Static<typeof EmailStatus>;
