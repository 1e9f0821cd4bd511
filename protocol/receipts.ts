import { type Static, Type } from '@sinclair/typebox';
import { Id, Seq } from './common.js';
import { Closed } from './responses.js';

/**
 * The signed-in agent's read position in each open conversation their scope reaches, newest first
 * (`unread = lastSeq - readSeq`, never counting what they wrote themselves). The
 * dashboard keeps the counts live from `conversation.updated` (lastSeq) and `receipt` (readSeq).
 */
export const ReadState = Closed({
  items: Type.Array(
    Closed({ conversationId: Id, lastSeq: Seq, readSeq: Seq, unread: Type.Integer({ minimum: 0 }) }),
  ),
  /** Open conversations in scope with something unread (counted past the items' page too). */
  unreadConversations: Type.Integer({ minimum: 0 }),
});
export type ReadState = Static<typeof ReadState>;

/** An agent's own notification settings: a tone and a desktop notification for new messages. */
export const NotificationSettings = Type.Object(
  { sound: Type.Boolean(), desktop: Type.Boolean() },
  { additionalProperties: false },
);
export type NotificationSettings = Static<typeof NotificationSettings>;
