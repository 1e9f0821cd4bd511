import { type Static, Type } from '@sinclair/typebox';
import { Attachment } from './attachments.js';
import { LIMITS } from './limits.js';
import { Closed } from './responses.js';
import { ActionRef, MessageAction, MessagePart } from './structured.js';

/**
 * Every id Parley issues is a lowercase UUID: version 4, except messages' ids, which are version 7
 * (time-ordered, server/platform/ids.ts). Clients treat ids as opaque and order messages by `seq`.
 */
export const Id = Type.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' });
export const ClientId = Type.String({
  minLength: LIMITS.minClientIdChars,
  maxLength: LIMITS.maxClientIdChars,
  pattern: '^[A-Za-z0-9_-]+$',
});
/** Sequence numbers start at 1 in every conversation and have no gaps. 0 means "nothing seen yet". */
export const Seq = Type.Integer({ minimum: 0, maximum: 2_147_483_647 });
export const IsoTime = Type.String({ maxLength: 40 });
/**
 * A time a client sends in a query (`before`, `from`, `to`, `since`, `until`): a UTC date, or a
 * date and time in UTC (`2026-11-22`, `2026-11-22T10:18Z`, `2026-11-22T10:18:09.123Z`).
 */
export const QueryTime = Type.String({
  maxLength: 40,
  pattern:
    '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,6})?)?Z)?$',
});
/**
 * Message text: plain text, never HTML. Clients render it as text. It may be empty only when the
 * message carries files (`attachmentIds`); the message command refuses an empty message without them
 * (`message_empty`), so the rule holds for the socket, the API and the bot alike.
 */
export const MessageBody = Type.String({ minLength: 0, maxLength: LIMITS.maxMessageChars });

export const Role = Type.Union([
  Type.Literal('administrator'),
  Type.Literal('supervisor'),
  Type.Literal('operator'),
]);
export type Role = Static<typeof Role>;

/** `api`: sent by a site's backend with an API token (id and name are the token's). */
export const AuthorKind = Type.Union([
  Type.Literal('visitor'),
  Type.Literal('agent'),
  Type.Literal('bot'),
  Type.Literal('api'),
]);
export type AuthorKind = Static<typeof AuthorKind>;

export const Author = Closed({
  kind: AuthorKind,
  id: Type.String(),
  name: Type.String(),
});
export type Author = Static<typeof Author>;

export const Message = Closed({
  conversationId: Id,
  seq: Seq,
  clientId: Type.String(),
  author: Author,
  body: Type.String(),
  createdAt: IsoTime,
  /** Structured content (protocol/structured.ts); absent on plain text messages. */
  parts: Type.Optional(Type.Array(MessagePart)),
  actions: Type.Optional(Type.Array(MessageAction)),
  /** Set when this message answers a quick reply of an earlier message. */
  action: Type.Optional(ActionRef),
  /** Files the message carries, in the order they were attached; absent when none. */
  attachments: Type.Optional(Type.Array(Attachment)),
});
export type Message = Static<typeof Message>;

/**
 * `pending`: waiting on the visitor; `snoozed`: until a time or the visitor's next message;
 * `resolved`: done, a visitor's message reopens it; `closed`: final (a visitor who writes again
 * starts a new conversation linked to this one).
 */
export const ConversationStatus = Type.Union([
  Type.Literal('open'),
  Type.Literal('pending'),
  Type.Literal('snoozed'),
  Type.Literal('resolved'),
  Type.Literal('closed'),
]);
export type ConversationStatus = Static<typeof ConversationStatus>;

/** Where a conversation takes place: the web widget, or a messaging platform it came through. */
export const ConversationChannel = Type.Union([
  Type.Literal('web'),
  Type.Literal('email'),
  Type.Literal('telegram'),
  Type.Literal('whatsapp'),
  Type.Literal('messenger'),
  Type.Literal('instagram'),
]);
export type ConversationChannel = Static<typeof ConversationChannel>;

export const Conversation = Closed({
  id: Id,
  widgetId: Id,
  visitor: Closed({ id: Id, name: Type.String() }),
  status: ConversationStatus,
  /** A snoozed conversation wakes then; null while snoozed: at the visitor's next message. */
  snoozedUntil: Type.Optional(Type.Union([IsoTime, Type.Null()])),
  /** The closed conversation this one continues. */
  previousConversationId: Type.Optional(Type.Union([Id, Type.Null()])),
  lastSeq: Seq,
  lastMessageAt: Type.Union([IsoTime, Type.Null()]),
  lastMessagePreview: Type.Union([Type.String(), Type.Null()]),
  createdAt: IsoTime,
  /** 'bot': the bot may answer; 'requested': the visitor asked for a person and waits for one. */
  handoff: Type.Union([Type.Literal('bot'), Type.Literal('requested')]),
  handoffRequestedAt: Type.Union([IsoTime, Type.Null()]),
  /** Where it takes place: the web widget, or the messaging platform it came through. */
  channel: Type.Optional(ConversationChannel),
  /** The current handoff query, once the conversation was handed to people (protocol/service.ts). */
  query: Type.Optional(
    Closed({
      id: Id,
      state: Type.Union([
        Type.Literal('queued'),
        Type.Literal('assigned'),
        Type.Literal('waiting_on_visitor'),
        Type.Literal('resolved'),
        Type.Literal('abandoned'),
      ]),
      assigneeId: Type.Union([Id, Type.Null()]),
      teamId: Type.Union([Id, Type.Null()]),
    }),
  ),
});
export type Conversation = Static<typeof Conversation>;

/** The body of a write that takes no input: `{}` (state-changing requests are always JSON). */
export const EmptyBody = Type.Object({}, { additionalProperties: false });
