import { type Static, Type } from '@sinclair/typebox';
import { Id, IsoTime, QueryTime } from './common.js';
import { Closed } from './responses.js';
import { SERVICE_LIMITS } from './service.js';

/**
 * The conversation lifecycle's routes (docs/PROTOCOL.md "Conversation lifecycle"): resolve, reopen,
 * set pending, snooze, the inbox tabs' counts, the transcript's system events, and whether a
 * resolution needs a code.
 */
export const ResolveConversationBody = Type.Object(
  {
    /** One of the workspace's resolution codes; optional unless the workspace requires one. */
    code: Type.Optional(Type.String({ minLength: 1, maxLength: SERVICE_LIMITS.maxCodeChars })),
    note: Type.Optional(Type.String({ maxLength: SERVICE_LIMITS.maxNoteChars })),
  },
  { additionalProperties: false },
);
export type ResolveConversationBody = Static<typeof ResolveConversationBody>;

export const SnoozeBody = Type.Object(
  {
    /** A UTC time in the future; null: until the visitor's next message. */
    until: Type.Union([QueryTime, Type.Null()]),
  },
  { additionalProperties: false },
);
export type SnoozeBody = Static<typeof SnoozeBody>;

const StatusName = Type.Union([
  Type.Literal('open'),
  Type.Literal('pending'),
  Type.Literal('snoozed'),
  Type.Literal('resolved'),
  Type.Literal('closed'),
]);

export const StatusChange = Closed({ id: Id, status: StatusName });
export type StatusChange = Static<typeof StatusChange>;

const PerStatus = Closed({
  open: Type.Integer(),
  pending: Type.Integer(),
  snoozed: Type.Integer(),
  resolved: Type.Integer(),
});
export type PerStatus = Static<typeof PerStatus>;

/** The inbox tabs: Mine / Unassigned / All × status, confined like the list. */
export const ConversationCounts = Closed({ mine: PerStatus, unassigned: PerStatus, all: PerStatus });
export type ConversationCounts = Static<typeof ConversationCounts>;

export const TimelineKind = Type.Union([
  // The conversation's status (conversation_events).
  Type.Literal('resolved'),
  Type.Literal('reopened'),
  Type.Literal('pending'),
  Type.Literal('snoozed'),
  Type.Literal('woke'),
  Type.Literal('closed'),
  // The handoff (query_events).
  Type.Literal('queued'),
  Type.Literal('assigned'),
  Type.Literal('transferred'),
  Type.Literal('abandoned'),
  Type.Literal('rated'),
]);
export type TimelineKind = Static<typeof TimelineKind>;

/** A system event of the transcript. Only the fields its kind uses are present. */
export const TimelineEvent = Closed({
  kind: TimelineKind,
  at: IsoTime,
  actor: Closed({
    kind: Type.Union([
      Type.Literal('agent'),
      Type.Literal('visitor'),
      Type.Literal('api'),
      Type.Literal('system'),
    ]),
    id: Type.Union([Type.String(), Type.Null()]),
  }),
  /** resolved: the resolution code, if one was given. */
  code: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  /** snoozed: until when (null: the visitor's next message). */
  until: Type.Optional(Type.Union([IsoTime, Type.Null()])),
  /** assigned / transferred: to whom (an agent, or a team's queue). */
  assigneeId: Type.Optional(Type.Union([Id, Type.Null()])),
  teamId: Type.Optional(Type.Union([Id, Type.Null()])),
  /** rated: the visitor's stars (1–5) and comment (masked for roles without personal data). */
  rating: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
  comment: Type.Optional(Type.Union([Type.String(), Type.Null()])),
});
export type TimelineEvent = Static<typeof TimelineEvent>;

export const Timeline = Closed({ items: Type.Array(TimelineEvent) });
export type Timeline = Static<typeof Timeline>;

export const ResolutionSettings = Closed({ codeRequired: Type.Boolean() });
export type ResolutionSettings = Static<typeof ResolutionSettings>;
export const ResolutionSettingsBody = Type.Object(
  { codeRequired: Type.Boolean() },
  { additionalProperties: false },
);
