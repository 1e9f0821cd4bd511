import { type Static, Type } from '@sinclair/typebox';
import { Attachment } from './attachments.js';
import { Id, IsoTime, Message, QueryTime } from './common.js';
import { Lead } from './leads.js';
import { LIMITS } from './limits.js';
import { Closed } from './responses.js';
import { Query } from './service.js';

/** Visitor data, notes, retention, archives, erasure and export. See docs/PROTOCOL.md §2.12–2.14. */

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const ProfileName = Type.String({ minLength: 1, maxLength: LIMITS.maxNameChars });
const ProfileEmail = Type.String({
  minLength: 3,
  maxLength: LIMITS.maxEmailChars,
  pattern: '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$',
});
const ProfilePhone = Type.String({ minLength: 5, maxLength: 32, pattern: '^\\+?[0-9 ().-]+$' });
const CustomKey = Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_.-]{0,39}$' });
const CustomValue = Type.String({ maxLength: LIMITS.maxCustomFieldChars });

const profileFields = {
  name: Type.Optional(Nullable(ProfileName)),
  email: Type.Optional(Nullable(ProfileEmail)),
  phone: Type.Optional(Nullable(ProfilePhone)),
  /** Merged into the stored fields; a null value removes that field. */
  custom: Type.Optional(
    Type.Record(CustomKey, Type.Union([CustomValue, Type.Null()]), {
      maxProperties: LIMITS.maxCustomFields,
      // A key that does not match CustomKey is refused, not let through unchecked.
      additionalProperties: false,
    }),
  ),
};

/** Agents record what a visitor told them; null clears a field, a missing key leaves it. */
export const VisitorProfilePatch = Type.Object(profileFields, { additionalProperties: false });
export type VisitorProfilePatch = Static<typeof VisitorProfilePatch>;

/** The widget (or the site) records what the visitor gave, with the visitor's own credential. */
export const VisitorSelfProfileBody = Type.Object(
  { widgetId: Type.Optional(Id), ...profileFields },
  { additionalProperties: false },
);
export type VisitorSelfProfileBody = Static<typeof VisitorSelfProfileBody>;

export const VisitorProfile = Closed({
  visitorId: Id,
  widgetId: Id,
  /** The pseudonym Parley gave the visitor ("Visitor 3f2a"); it names nobody. */
  displayName: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
  custom: Type.Record(Type.String(), Type.String()),
  collectedAt: Type.Union([IsoTime, Type.Null()]),
  /** When the visitor data TTL of the widget deletes these fields; null: kept. */
  expiresAt: Type.Union([IsoTime, Type.Null()]),
  /** True when the viewer's role lacks personal-data.read and the fields are masked. */
  masked: Type.Boolean(),
  createdAt: IsoTime,
  lastSeenAt: IsoTime,
});
export type VisitorProfile = Static<typeof VisitorProfile>;

/** Closing is the one change to a conversation's status so far. */
export const ConversationPatch = Type.Object(
  { status: Type.Literal('closed') },
  { additionalProperties: false },
);

export const VisitorLookupBody = Type.Object({ email: ProfileEmail }, { additionalProperties: false });

export const Note = Closed({
  id: Id,
  conversationId: Id,
  author: Closed({ id: Type.String(), name: Type.String() }),
  body: Type.String(),
  createdAt: IsoTime,
});
export type Note = Static<typeof Note>;

export const NoteBody = Type.Object(
  { body: Type.String({ minLength: 1, maxLength: LIMITS.maxMessageChars }) },
  { additionalProperties: false },
);
export type NoteBody = Static<typeof NoteBody>;

export const RetentionBody = Type.Object(
  {
    /**
     * Visitor data (name, email, phone, custom fields, and copies flows took) is deleted this long after
     * it was collected, and the site's verified user id this long after the site last vouched for it;
     * null keeps them.
     */
    visitorDataTtlSeconds: Type.Union([
      Type.Integer({ minimum: LIMITS.minVisitorDataTtlSeconds, maximum: LIMITS.maxVisitorDataTtlSeconds }),
      Type.Null(),
    ]),
    /**
     * Messages, notes, pages and query texts older than this are deleted; null keeps them. At least 24
     * while operators take over conversations.
     */
    historyHours: Type.Union([Type.Integer({ minimum: 1, maximum: LIMITS.maxHistoryHours }), Type.Null()]),
    /** Conversations without a message for this many days are archived, or deleted when archiving is off. */
    inactivityDays: Type.Integer({ minimum: 1, maximum: 365 }),
    archiveInactive: Type.Boolean(),
    /** Keep no conversation content once a conversation is closed, nor visitor data once none is open. */
    storageOff: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type RetentionBody = Static<typeof RetentionBody>;

export const RetentionSettings = Type.Composite(
  [
    RetentionBody,
    Closed({
      widgetId: Id,
      /** The smallest historyHours this widget accepts, and why. */
      minHistoryHours: Type.Integer(),
      minHistoryReason: Type.Union([Type.String(), Type.Null()]),
      updatedAt: Type.Union([IsoTime, Type.Null()]),
    }),
  ],
  { additionalProperties: false },
);
export type RetentionSettings = Static<typeof RetentionSettings>;

export const RetentionCounts = Closed({
  /** Visitor profiles deleted, and verified user ids forgotten. */
  visitorDataDeleted: Type.Integer(),
  messagesDeleted: Type.Integer(),
  notesDeleted: Type.Integer(),
  /** Texts cleared in rows that stay: query pages, notes and comments, checkpoint copies of visitor data. */
  fieldsCleared: Type.Integer(),
  conversationsArchived: Type.Integer(),
  conversationsDeleted: Type.Integer(),
  archivesPruned: Type.Integer(),
  closedConversationsPurged: Type.Integer(),
});
export type RetentionCounts = Static<typeof RetentionCounts>;

export const RetentionRun = Closed({
  id: Id,
  node: Type.String(),
  startedAt: IsoTime,
  finishedAt: IsoTime,
  counts: RetentionCounts,
  error: Type.Union([Type.String(), Type.Null()]),
});
export type RetentionRun = Static<typeof RetentionRun>;

export const RetentionRuns = Closed({
  /** When the scheduler last finished a run on any node; null if it never ran. */
  lastRunAt: Type.Union([IsoTime, Type.Null()]),
  items: Type.Array(RetentionRun),
});
export type RetentionRuns = Static<typeof RetentionRuns>;

export const ArchiveSummary = Closed({
  id: Id,
  conversationId: Id,
  visitorId: Id,
  widgetId: Id,
  messageCount: Type.Integer(),
  firstMessageAt: Type.Union([IsoTime, Type.Null()]),
  lastMessageAt: Type.Union([IsoTime, Type.Null()]),
  archivedAt: IsoTime,
});
export type ArchiveSummary = Static<typeof ArchiveSummary>;

export const ArchivedProfile = Closed({
  name: Type.Union([Type.String(), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
  custom: Type.Record(Type.String(), Type.String()),
  collectedAt: IsoTime,
  expiresAt: Type.Union([IsoTime, Type.Null()]),
});
export type ArchivedProfile = Static<typeof ArchivedProfile>;

export const Archive = Type.Composite(
  [
    ArchiveSummary,
    Closed({
      conversation: Closed({ status: Type.String(), createdAt: IsoTime, lastSeq: Type.Integer() }),
      messages: Type.Array(Message),
      notes: Type.Array(Note),
      /** The visitor data, when it moved to the archive with the visitor's last conversation. */
      profile: Type.Union([ArchivedProfile, Type.Null()]),
    }),
  ],
  { additionalProperties: false },
);
export type Archive = Static<typeof Archive>;

export const ArchiveListQuery = Type.Object(
  {
    widgetId: Type.Optional(Id),
    before: Type.Optional(QueryTime),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.listPageSize })),
  },
  { additionalProperties: false },
);

export const Erasure = Closed({ id: Id, visitorId: Id, erasedAt: IsoTime });
export type Erasure = Static<typeof Erasure>;

/** A query of the visitor's (the human handoff), opened, with its events. */
export const ExportedQuery = Type.Composite([Query, Closed({ updatedAt: IsoTime })], {
  additionalProperties: false,
});
export type ExportedQuery = Static<typeof ExportedQuery>;

const NullableId = Type.Union([Id, Type.Null()]);

/** A conversation's flow run and checkpoints; `data` is what the visitor had told when they got there. */
export const ExportedFlowRecords = Closed({
  run: Type.Union([
    Closed({
      flowId: NullableId,
      flowVersion: Type.Union([Type.Integer(), Type.Null()]),
      stepId: Type.Union([Type.String(), Type.Null()]),
      promptSeq: Type.Union([Type.Integer(), Type.Null()]),
      attempts: Type.Integer(),
      awaiting: Type.Union([Type.String(), Type.Null()]),
      handoffTeamId: NullableId,
      updatedAt: IsoTime,
    }),
    Type.Null(),
  ]),
  checkpoints: Type.Array(
    Closed({
      id: Id,
      flowId: Id,
      name: Type.String(),
      data: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
      createdAt: IsoTime,
    }),
  ),
});
export type ExportedFlowRecords = Static<typeof ExportedFlowRecords>;

/** Everything Parley holds about one visitor (a data-subject access request). */
export const VisitorExport = Closed({
  format: Type.Literal('parley-visitor-export'),
  version: Type.Literal(2),
  exportedAt: IsoTime,
  visitor: VisitorProfile,
  /** The embedding site's user id, when the site verified who the visitor is. */
  verifiedUserId: Type.Union([Type.String(), Type.Null()]),
  /** The messaging platform account the visitor wrote from (a chat id, a phone number, a page-scoped id). */
  channelContact: Type.Optional(
    Type.Union([
      Closed({ id: Id, channelId: Id, sender: Type.String(), lastInboundAt: IsoTime }),
      Type.Null(),
    ]),
  ),
  /** When the visitor data was last changed; null when there is none. */
  profileUpdatedAt: Type.Union([IsoTime, Type.Null()]),
  /** The visitor as the leads list shows them, when they left an email. */
  lead: Type.Union([Lead, Type.Null()]),
  conversations: Type.Array(
    Closed({
      id: Id,
      widgetId: Id,
      status: Type.String(),
      /** `web`, or the messaging platform the conversation came through. */
      channel: Type.Optional(Type.String()),
      createdAt: IsoTime,
      updatedAt: IsoTime,
      lastSeq: Type.Integer(),
      lastMessageAt: Type.Union([IsoTime, Type.Null()]),
      lastMessagePreview: Type.Union([Type.String(), Type.Null()]),
      /** The page the visitor was on and the page that sent them there, as the widget reported. */
      pageUrl: Type.Union([Type.String(), Type.Null()]),
      referrer: Type.Union([Type.String(), Type.Null()]),
      handoff: Closed({
        state: Type.String(),
        requestedAt: Type.Union([IsoTime, Type.Null()]),
        botMisses: Type.Integer(),
        queryId: NullableId,
      }),
      messages: Type.Array(Message),
      notes: Type.Array(Note),
      /** Files sent in the conversation: their names and kinds; each one's content is at its own address. */
      attachments: Type.Array(Attachment),
      queries: Type.Array(ExportedQuery),
      flow: ExportedFlowRecords,
    }),
  ),
  archives: Type.Array(Archive),
  /** The visitor's browser sessions: where and when, never the secret itself. */
  credentials: Type.Array(
    Closed({
      id: Id,
      widgetId: Id,
      hostOrigin: Type.String(),
      createdAt: IsoTime,
      firstIssuedAt: IsoTime,
      idleExpiresAt: IsoTime,
      expiresAt: IsoTime,
      revokedAt: Type.Union([IsoTime, Type.Null()]),
    }),
  ),
});
export type VisitorExport = Static<typeof VisitorExport>;
