import { type Static, Type } from '@sinclair/typebox';
import { Id, IsoTime, QueryTime } from './common.js';
import { Closed } from './responses.js';
import { SAFE_LINK_PATTERN } from './safe-link.js';

/** The human handoff: queries, assignment, presence, teams, resolution codes, canned responses, CSAT. */
export const SERVICE_LIMITS = {
  maxNameChars: 80,
  maxCodeChars: 40,
  maxNoteChars: 2000,
  maxCommentChars: 1000,
  maxCannedBodyChars: 2000,
  maxShortcutChars: 32,
  maxUrlChars: 2000,
  maxCapacity: 50,
  maxTeamMembers: 500,
  maxListItems: 200,
} as const;
const L = SERVICE_LIMITS;

export const QUERY_STATES = ['queued', 'assigned', 'waiting_on_visitor', 'resolved', 'abandoned'] as const;
export const QueryState = Type.Union(QUERY_STATES.map((s) => Type.Literal(s)));
export type QueryState = (typeof QUERY_STATES)[number];
export const Presence = Type.Union([Type.Literal('online'), Type.Literal('away'), Type.Literal('offline')]);
export type Presence = Static<typeof Presence>;

/** What an inbox row shows about the conversation's current query. */
export const QueryBrief = Closed({
  id: Id,
  state: QueryState,
  assigneeId: Type.Union([Id, Type.Null()]),
  teamId: Type.Union([Id, Type.Null()]),
});
export type QueryBrief = Static<typeof QueryBrief>;

export const QueryEvent = Closed({
  kind: Type.String(),
  fromState: Type.Union([QueryState, Type.Null()]),
  toState: Type.Union([QueryState, Type.Null()]),
  actorId: Type.Union([Type.String(), Type.Null()]),
  assigneeId: Type.Union([Type.String(), Type.Null()]),
  teamId: Type.Union([Type.String(), Type.Null()]),
  at: IsoTime,
});

export const Query = Closed({
  id: Id,
  conversationId: Id,
  widgetId: Id,
  teamId: Type.Union([Id, Type.Null()]),
  state: QueryState,
  assigneeId: Type.Union([Id, Type.Null()]),
  origin: Closed({
    trigger: Type.String(),
    pageUrl: Type.Union([Type.String(), Type.Null()]),
    referrer: Type.Union([Type.String(), Type.Null()]),
  }),
  resolution: Type.Union([
    Closed({ code: Type.String(), note: Type.Union([Type.String(), Type.Null()]) }),
    Type.Null(),
  ]),
  rating: Type.Union([
    Closed({ score: Type.Integer(), comment: Type.Union([Type.String(), Type.Null()]), at: IsoTime }),
    Type.Null(),
  ]),
  createdAt: IsoTime,
  firstAssignedAt: Type.Union([IsoTime, Type.Null()]),
  firstResponseAt: Type.Union([IsoTime, Type.Null()]),
  closedAt: Type.Union([IsoTime, Type.Null()]),
  events: Type.Optional(Type.Array(QueryEvent)),
});
export type Query = Static<typeof Query>;

/** The live counts beside the queue and "mine" views. */
export const QueryCounts = Closed({ queue: Type.Integer(), mine: Type.Integer() });

/** What a pick, assignment, transfer or resolution changed: the query, and its state where it is known. */
export const QueryChange = Closed({
  id: Id,
  state: Type.Optional(QueryState),
  assigneeId: Type.Optional(Id),
});

export const QueryListQuery = Type.Object(
  { view: Type.Optional(Type.Union([Type.Literal('queue'), Type.Literal('mine'), Type.Literal('all')])) },
  { additionalProperties: false },
);
export const AssignBody = Type.Object({ userId: Id }, { additionalProperties: false });
/** Exactly one of userId and teamId; the note becomes a private note on the conversation. */
export const TransferBody = Type.Object(
  {
    userId: Type.Optional(Id),
    teamId: Type.Optional(Id),
    note: Type.Optional(Type.String({ minLength: 1, maxLength: L.maxNoteChars })),
  },
  { additionalProperties: false },
);
export type TransferBody = Static<typeof TransferBody>;
export const ResolveBody = Type.Object(
  {
    /** Optional unless the workspace requires a resolution code (GET /resolution-settings). */
    code: Type.Optional(Type.String({ minLength: 1, maxLength: L.maxCodeChars })),
    note: Type.Optional(Type.String({ maxLength: L.maxNoteChars })),
  },
  { additionalProperties: false },
);
export const PresenceBody = Type.Object(
  { status: Type.Union([Type.Literal('online'), Type.Literal('away')]) },
  { additionalProperties: false },
);
export const AgentSettingsBody = Type.Object(
  { capacity: Type.Integer({ minimum: 0, maximum: L.maxCapacity }) },
  { additionalProperties: false },
);
export const ServiceAgent = Closed({
  id: Id,
  name: Type.String(),
  role: Type.String(),
  presence: Presence,
  capacity: Type.Integer(),
  active: Type.Integer(),
  teamIds: Type.Array(Id),
});
export type ServiceAgent = Static<typeof ServiceAgent>;

/** The signed-in agent's own presence, as set. */
export const PresenceState = Closed({ status: Presence });

/** An agent's capacity, as set, and their teams. */
export const AgentSettings = Closed({ userId: Id, capacity: Type.Integer(), teamIds: Type.Array(Id) });

const Code = Type.String({ minLength: 1, maxLength: L.maxCodeChars, pattern: '^[a-z0-9][a-z0-9_-]*$' });
export const ResolutionCodeBody = Type.Object(
  { code: Code, label: Type.String({ minLength: 1, maxLength: L.maxNameChars }) },
  { additionalProperties: false },
);
export const ResolutionCode = Closed({ id: Id, code: Type.String(), label: Type.String() });
export type ResolutionCode = Static<typeof ResolutionCode>;

export const TeamBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: L.maxNameChars }) },
  { additionalProperties: false },
);
export const TeamMembersBody = Type.Object(
  { userIds: Type.Array(Id, { maxItems: L.maxTeamMembers }) },
  { additionalProperties: false },
);
export const Team = Closed({ id: Id, name: Type.String(), memberIds: Type.Array(Id) });

/** The team a widget's handoffs queue for; null: anyone. */
export const WidgetTeam = Closed({ widgetId: Id, teamId: Type.Union([Id, Type.Null()]) });
export type Team = Static<typeof Team>;
export const WidgetTeamBody = Type.Object(
  { teamId: Type.Union([Id, Type.Null()]) },
  { additionalProperties: false },
);

export const CannedResponseBody = Type.Object(
  {
    shortcut: Type.String({ minLength: 1, maxLength: L.maxShortcutChars, pattern: '^[a-z0-9][a-z0-9_-]*$' }),
    title: Type.String({ minLength: 1, maxLength: L.maxNameChars }),
    body: Type.String({ minLength: 1, maxLength: L.maxCannedBodyChars }),
  },
  { additionalProperties: false },
);
export type CannedResponseBody = Static<typeof CannedResponseBody>;

/**
 * The variables a canned response may use; the dashboard fills them in when the response is inserted
 * into a reply (protocol/canned-fill.ts). A `{name.name}` that is not one of these is refused
 * (`canned_variable_unknown`). `{visitor.name|there}` says what to write when the name is unknown.
 */
export const CANNED_VARIABLES = [
  { name: 'visitor.name', description: 'The visitor’s name, as the conversation shows it' },
  { name: 'agent.name', description: 'Your name, as your colleagues see it' },
] as const;
const VARIABLE_PATTERN = /\{([A-Za-z_]+\.[A-Za-z_]+)(?:\|[^{}|]{0,40})?\}/g;

/** The `{x.y}` variables in a canned response's body that Parley does not know, each once. */
export function unknownCannedVariables(body: string): string[] {
  const known = new Set<string>(CANNED_VARIABLES.map((v) => v.name));
  const used = [...body.matchAll(VARIABLE_PATTERN)].map((m) => m[1] as string);
  return [...new Set(used.filter((v) => !known.has(v)))];
}
export const CannedResponse = Closed({
  id: Id,
  shortcut: Type.String(),
  title: Type.String(),
  body: Type.String(),
});
export type CannedResponse = Static<typeof CannedResponse>;

/** The visitor's rating after a resolution (widget, visitor credential). */
export const RatingBody = Type.Object(
  {
    widgetId: Type.Optional(Id),
    score: Type.Integer({ minimum: 1, maximum: 5 }),
    comment: Type.Optional(Type.String({ maxLength: L.maxCommentChars })),
  },
  { additionalProperties: false },
);
export type RatingBody = Static<typeof RatingBody>;
/** The page the visitor is on, reported by the widget; a handoff records it as the query's origin. */
export const VisitorPageBody = Type.Object(
  {
    widgetId: Type.Optional(Id),
    pageUrl: Type.String({ minLength: 1, maxLength: L.maxUrlChars, pattern: SAFE_LINK_PATTERN }),
    referrer: Type.Optional(Type.String({ maxLength: L.maxUrlChars, pattern: SAFE_LINK_PATTERN })),
  },
  { additionalProperties: false },
);

export const ReportQuery = Type.Object(
  { from: Type.Optional(QueryTime), to: Type.Optional(QueryTime) },
  { additionalProperties: false },
);
/** Times in seconds; rates between 0 and 1; null when nothing was measured. */
/** Voice and video calls offered in the period, and how they went (docs/PROTOCOL.md §4.5). */
export const CallFigures = Closed({
  offered: Type.Integer(),
  /** The visitor accepted. */
  answered: Type.Integer(),
  declined: Type.Integer(),
  /** Ended without being answered (rang out, withdrawn, the agent left). */
  missed: Type.Integer(),
  /** Time spent in answered calls that have ended, in seconds. */
  talkSeconds: Type.Integer(),
});
export type CallFigures = Static<typeof CallFigures>;

export const ServiceReport = Closed({
  conversations: Type.Integer(),
  handedOff: Type.Integer(),
  botContainmentRate: Type.Union([Type.Number(), Type.Null()]),
  queries: Type.Integer(),
  resolved: Type.Integer(),
  abandoned: Type.Integer(),
  resolutionRate: Type.Union([Type.Number(), Type.Null()]),
  medianFirstResponseSeconds: Type.Union([Type.Number(), Type.Null()]),
  medianHandleSeconds: Type.Union([Type.Number(), Type.Null()]),
  averageRating: Type.Union([Type.Number(), Type.Null()]),
  ratings: Type.Integer(),
  /** Calls offered in the period (of the label's conversations, for a label); absent when none was. */
  calls: Type.Optional(CallFigures),
});
export type ServiceReport = Static<typeof ServiceReport>;
