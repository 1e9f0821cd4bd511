import { type Static, Type } from '@sinclair/typebox';
import { AttachmentIds } from './attachments.js';
import { CALL_FRAMES, type CallServerFrame } from './calls.js';
import {
  type Author,
  ClientId,
  type Conversation,
  type ConversationStatus,
  Id,
  type Message,
  MessageBody,
  Seq,
} from './common.js';
import type { ErrorCode } from './errors.js';
import { ActionRef } from './structured.js';

/**
 * WebSocket frames: one JSON object per text frame, discriminated by `type`.
 * Every client frame may carry `rid` (request id, ≤ 64 chars); the server echoes it on the reply
 * or error it causes, so a client can match them. See docs/PROTOCOL.md.
 */
const Rid = Type.Optional(Type.String({ minLength: 1, maxLength: 64 }));

export const SubscribeFrame = Type.Object(
  { type: Type.Literal('subscribe'), rid: Rid, conversationId: Id, afterSeq: Seq },
  { additionalProperties: false },
);
export const UnsubscribeFrame = Type.Object(
  { type: Type.Literal('unsubscribe'), rid: Rid, conversationId: Id },
  { additionalProperties: false },
);
export const MessageSendFrame = Type.Object(
  {
    type: Type.Literal('message.send'),
    rid: Rid,
    conversationId: Id,
    clientId: ClientId,
    body: MessageBody,
    /** Visitors only: the quick reply this message answers; it must belong to that bot message. */
    action: Type.Optional(ActionRef),
    /** Files the sender uploaded to this conversation (§2.21) and not yet sent with a message. */
    attachmentIds: Type.Optional(AttachmentIds),
  },
  { additionalProperties: false },
);
export const TypingFrame = Type.Object(
  {
    type: Type.Literal('typing'),
    rid: Rid,
    conversationId: Id,
    state: Type.Union([Type.Literal('start'), Type.Literal('stop')]),
  },
  { additionalProperties: false },
);
/** Agents only: live `conversation.updated` events for the whole workspace inbox. */
export const InboxSubscribeFrame = Type.Object(
  { type: Type.Literal('inbox.subscribe'), rid: Rid },
  { additionalProperties: false },
);
/**
 * Read receipts: the sender has `delivered` (a device holds it) or `read` (a person saw it) every
 * message up to `seq`. Cursors only move forward; a seq past the conversation's last is taken as it.
 */
export const ReceiptFrame = Type.Object(
  {
    type: Type.Literal('receipt'),
    rid: Rid,
    conversationId: Id,
    state: Type.Union([Type.Literal('delivered'), Type.Literal('read')]),
    seq: Seq,
  },
  { additionalProperties: false },
);
export const PingFrame = Type.Object(
  { type: Type.Literal('ping'), rid: Rid },
  { additionalProperties: false },
);

export const CLIENT_FRAMES = {
  subscribe: SubscribeFrame,
  unsubscribe: UnsubscribeFrame,
  'message.send': MessageSendFrame,
  typing: TypingFrame,
  'inbox.subscribe': InboxSubscribeFrame,
  receipt: ReceiptFrame,
  ping: PingFrame,
  ...CALL_FRAMES,
} as const;
export type ClientFrameType = keyof typeof CLIENT_FRAMES;
export type ClientFrame = { [K in ClientFrameType]: Static<(typeof CLIENT_FRAMES)[K]> }[ClientFrameType];

export type Principal =
  | { kind: 'agent'; userId: string; workspaceId: string; name: string }
  | { kind: 'visitor'; visitorId: string; workspaceId: string; conversationId: string; name: string };

/** How far a reader got in a conversation: delivered to a device, and read by a person. */
export interface ReadCursor {
  deliveredSeq: number;
  readSeq: number;
}

export type ServerFrame =
  | CallServerFrame
  | { type: 'welcome'; principal: Principal; heartbeatIntervalMs: number; maxFrameBytes: number }
  | {
      type: 'subscribed';
      rid?: string;
      conversationId: string;
      lastSeq: number;
      /**
       * `mine`: this reader's own cursor (its unread count is `lastSeq - mine.readSeq`); `theirs`:
       * the other side's: for a visitor, the furthest any agent got; for an agent, the visitor's.
       */
      cursors: { mine: ReadCursor; theirs: ReadCursor };
      /** The conversation's lifecycle status as the replay ends (later changes: `conversation.status`). */
      status: ConversationStatus;
    }
  /**
   * A reader's cursor moved (a `receipt`, or their own message). Sent to the conversation's other
   * subscribers and to the reader's other devices; answers the sender's `receipt` with its `rid`.
   */
  | ({
      type: 'receipt';
      rid?: string;
      conversationId: string;
      reader: { kind: 'visitor' | 'agent'; id: string };
    } & ReadCursor)
  /**
   * Answers `unsubscribe`; sent unasked with `reason: 'access_ended'` when the conversation left
   * the socket's scope (transferred, reassigned): nothing more of it arrives.
   */
  | { type: 'unsubscribed'; rid?: string; conversationId: string; reason?: 'access_ended' }
  | { type: 'message.new'; message: Message }
  | {
      type: 'message.ack';
      rid?: string;
      conversationId: string;
      clientId: string;
      seq: number;
      createdAt: string;
      duplicate: boolean;
    }
  | { type: 'typing'; conversationId: string; author: Author; state: 'start' | 'stop' }
  | { type: 'inbox.subscribed'; rid?: string }
  | { type: 'conversation.updated'; conversation: Conversation }
  /** To a conversation's subscribers (visitor and agents) when its lifecycle status changes. */
  | { type: 'conversation.status'; conversationId: string; status: ConversationStatus }
  /**
   * To inbox subscribers whose scope reaches the conversation, when a label is added or removed:
   * every label it carries now (ids of `GET /labels`).
   */
  | { type: 'conversation.labels'; conversationId: string; labelIds: string[] }
  /** To every inbox subscriber of the workspace when a label is created, changed or deleted: read `GET /labels` again. */
  | { type: 'labels.changed' }
  | { type: 'pong'; rid?: string }
  | {
      type: 'error';
      rid?: string;
      /** Set when the error answers a `message.send`: that message was not stored. */
      clientId?: string;
      conversationId?: string;
      code: ErrorCode;
      message: string;
      details?: string[];
    };
