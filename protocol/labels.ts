import { type Static, Type } from '@sinclair/typebox';
import { Id, IsoTime } from './common.js';
import { Closed } from './responses.js';
import { ServiceReport } from './service.js';

/** Labels: a workspace's own tags for conversations, managed by administrators, set by agents. */
export const LABEL_LIMITS = {
  /** Labels per workspace: enough for any team's taxonomy, small enough for one filter menu. */
  maxLabelsPerWorkspace: 100,
  maxLabelNameChars: 40,
  /** Labels on one conversation. */
  maxLabelsPerConversation: 20,
  /** Conversations one label lookup answers for (an inbox page). */
  maxLookupConversations: 100,
} as const;

/** A colour as `#rrggbb`: the dashboard draws it, so nothing but a plain hex colour gets through. */
export const LabelColour = Type.String({ pattern: '^#[0-9a-fA-F]{6}$' });

export const LabelBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: LABEL_LIMITS.maxLabelNameChars, pattern: '\\S' }),
    colour: LabelColour,
  },
  { additionalProperties: false },
);
export type LabelBody = Static<typeof LabelBody>;

export const Label = Closed({ id: Id, name: Type.String(), colour: Type.String(), createdAt: IsoTime });
export type Label = Static<typeof Label>;

export const LabelList = Closed({ items: Type.Array(Label) });

/** Which labels each conversation carries (ids of the workspace's labels). */
export const ConversationLabels = Closed({ conversationId: Id, labelIds: Type.Array(Id) });
export type ConversationLabels = Static<typeof ConversationLabels>;

export const ConversationLabelsQuery = Type.Object(
  {
    /** Comma-separated conversation ids (an inbox page). */
    ids: Type.String({ minLength: 36, maxLength: LABEL_LIMITS.maxLookupConversations * 37 }),
  },
  { additionalProperties: false },
);
export const ConversationLabelsList = Closed({ items: Type.Array(ConversationLabels) });

/** The service report, one per label (conversations carrying it), for the same period. */
export const LabelReport = Closed({
  from: IsoTime,
  to: IsoTime,
  groups: Type.Array(Closed({ label: Label, report: ServiceReport })),
});
export type LabelReport = Static<typeof LabelReport>;
