import { type Static, Type } from '@sinclair/typebox';
import { Id, IsoTime } from './common.js';
import { Closed } from './responses.js';

/** Alerts one list answers: more than any screen needs; older ones are in the audit log. */
export const SECURITY_ALERTS_LIST_MAX = 100;

/**
 * One security alert as administrators read it: the rule (the server's alert-rules.ts) and its
 * title, when, what it said (ids and counts; for a burst of refusals the addresses and origins
 * behind it) and how many alerts of its kind the throttle held back before it.
 */
export const SecurityAlert = Closed({
  id: Id,
  rule: Type.String(),
  title: Type.String(),
  raisedAt: IsoTime,
  facts: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()])),
  heldBack: Type.Integer({ minimum: 0 }),
});
export type SecurityAlert = Static<typeof SecurityAlert>;

/** `unread`: alerts the administrator asking has not been shown yet (PUT …/seen moves that on). */
export const SecurityAlertList = Closed({
  items: Type.Array(SecurityAlert),
  unread: Type.Integer({ minimum: 0 }),
});
export type SecurityAlertList = Static<typeof SecurityAlertList>;

export const SecurityAlertsQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: SECURITY_ALERTS_LIST_MAX })) },
  { additionalProperties: false },
);

/** The newest alert the administrator was shown: it and everything before stop counting as unread. */
export const SecurityAlertsSeenBody = Type.Object({ through: IsoTime }, { additionalProperties: false });
export type SecurityAlertsSeenBody = Static<typeof SecurityAlertsSeenBody>;
