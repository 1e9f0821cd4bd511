import { type Static, Type } from '@sinclair/typebox';
import { SAFE_LINK_PATTERN } from './safe-link.js';

export { isSafeLink, SAFE_LINK_PATTERN } from './safe-link.js';

/**
 * Structured message content: data, never HTML. Clients render it with their own components.
 * A link is only ever http(s) or mailto; the server refuses anything else (javascript:, data:, …).
 */
export const STRUCTURED_LIMITS = {
  maxParts: 5,
  maxActions: 5,
  maxTitleChars: 200,
  maxTextChars: 1000,
  maxLabelChars: 80,
  maxUrlChars: 2000,
} as const;

const Title = Type.String({ minLength: 1, maxLength: STRUCTURED_LIMITS.maxTitleChars });
export const ActionId = Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9_-]+$' });

export const CardPart = Type.Object(
  {
    type: Type.Literal('card'),
    title: Title,
    text: Type.Optional(Type.String({ maxLength: STRUCTURED_LIMITS.maxTextChars })),
    url: Type.Optional(Type.String({ maxLength: STRUCTURED_LIMITS.maxUrlChars, pattern: SAFE_LINK_PATTERN })),
    linkLabel: Type.Optional(Type.String({ minLength: 1, maxLength: STRUCTURED_LIMITS.maxLabelChars })),
  },
  { additionalProperties: false },
);
/** The knowledge-base article a bot answer comes from. */
export const SourcePart = Type.Object(
  { type: Type.Literal('source'), title: Title, articleId: Type.String({ maxLength: 40 }) },
  { additionalProperties: false },
);
/** Asks the visitor to rate the conversation after a person resolved it (1–5 and a comment). */
export const RatingPart = Type.Object({ type: Type.Literal('rating') }, { additionalProperties: false });
export const MessagePart = Type.Union([CardPart, SourcePart, RatingPart]);
export type MessagePart = Static<typeof MessagePart>;

/** A quick-reply button. `handoff` asks for a person; `reply` sends its label as the visitor's message. */
export const MessageAction = Type.Object(
  {
    id: ActionId,
    kind: Type.Union([Type.Literal('reply'), Type.Literal('handoff')]),
    label: Type.String({ minLength: 1, maxLength: STRUCTURED_LIMITS.maxLabelChars }),
  },
  { additionalProperties: false },
);
export type MessageAction = Static<typeof MessageAction>;

export const StructuredContent = Type.Object(
  {
    parts: Type.Optional(Type.Array(MessagePart, { maxItems: STRUCTURED_LIMITS.maxParts })),
    actions: Type.Optional(Type.Array(MessageAction, { maxItems: STRUCTURED_LIMITS.maxActions })),
  },
  { additionalProperties: false },
);
export type StructuredContent = Static<typeof StructuredContent>;

/** A visitor's message that answers a quick reply: which message (by seq) and which of its actions. */
export const ActionRef = Type.Object(
  { seq: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }), id: ActionId },
  { additionalProperties: false },
);
export type ActionRef = Static<typeof ActionRef>;
