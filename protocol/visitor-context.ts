import { type Static, Type } from '@sinclair/typebox';
import { ConversationStatus, Id, IsoTime } from './common.js';
import { VisitorProfile } from './data-protection.js';
import { Closed } from './responses.js';
import { QueryState } from './service.js';

/** What an operator sees beside a conversation: where the visitor is, what they told, and before. */
export const CONTEXT_LIMITS = {
  /** Earlier conversations listed, newest first. */
  maxPrevious: 20,
  /** Characters of an earlier conversation's first visitor message. */
  maxFirstMessageChars: 140,
} as const;

export const PreviousConversation = Closed({
  /** Only when the viewer may open it: an id outside one's scope is nothing to act on. */
  id: Type.Union([Id, Type.Null()]),
  status: ConversationStatus,
  createdAt: IsoTime,
  lastMessageAt: Type.Union([IsoTime, Type.Null()]),
  /** The state of its last handoff query, or null if it never reached a person. */
  queryState: Type.Union([QueryState, Type.Null()]),
  /** The visitor's first message, shortened; null if there was none or the viewer may not open it. */
  firstMessage: Type.Union([Type.String(), Type.Null()]),
  /** Whether the viewer may open it (operators: only their own work). */
  canOpen: Type.Boolean(),
});
export type PreviousConversation = Static<typeof PreviousConversation>;

export const VisitorContext = Closed({
  conversationId: Id,
  visitorId: Id,
  /** The page the visitor is on now and the page that sent them there, as the widget last reported. */
  page: Closed({
    pageUrl: Type.Union([Type.String(), Type.Null()]),
    referrer: Type.Union([Type.String(), Type.Null()]),
  }),
  /** Names, emails, phones and collected attributes; masked for roles without personal-data.read. */
  profile: VisitorProfile,
  previous: Type.Array(PreviousConversation),
});
export type VisitorContext = Static<typeof VisitorContext>;
