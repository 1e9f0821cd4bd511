import type { ConversationsTable, Executor, MessagesTable } from '../../platform/db/schema.js';

/**
 * The shapes of the message stream (message-stream.ts): what a stored message looks like to its
 * subscribers, and the three kinds of subscriber.
 */

/**
 * The conversation as a send leaves it: the columns the message path reads (its subscribers, the
 * bot's turn, the channels), not the whole row. The UPDATE that takes the seq returns them, and each
 * returned column is work on every message; the sealed texts (preview, page, referrer) are the
 * widest and nothing here reads them.
 */
export type ConversationAfterSend = Pick<
  ConversationsTable,
  | 'id'
  | 'workspace_id'
  | 'widget_id'
  | 'visitor_id'
  | 'status'
  | 'last_seq'
  | 'handoff_state'
  | 'bot_listening'
  | 'query_id'
  | 'snoozed_until'
  | 'status_changed_at'
  | 'language'
  | 'channel'
>;

/** A message as its commit left it: the row (body in plaintext) and its conversation. */
export interface StoredMessage {
  message: MessagesTable;
  conversation: ConversationAfterSend;
}

/** A turn a durable subscriber owes one stored message. */
export interface OwedTurn {
  messageId: string;
  conversationId: string;
  workspaceId: string;
  seq: number;
  /** 1 on the first run; more after a failure or after the node that stored it died. */
  attempt: number;
  /** The message as stored, when the node that stored it runs the turn (no read needed). */
  stored?: StoredMessage;
}

/**
 * A subscriber whose work must survive the node: whether it owes a turn is decided inside the
 * message's transaction and recorded in the outbox with it, so a crash between the ack and the turn
 * leaves the turn to be done later, by this node after restart or by another. `handle` may run again
 * for the same message (a crash after its work but before its completion is recorded), so it must be
 * idempotent: replies derive their client ids from the message.
 */
export interface DurableSubscriber {
  /** Decided without I/O from the stored message and its conversation. */
  wants(stored: StoredMessage): boolean;
  handle(turn: OwedTurn): Promise<void>;
}

/** Work that commits with the message (it sees the transaction): the query's state, for one. */
export type InTransactionSubscriber = (trx: Executor, stored: StoredMessage) => Promise<void>;
/** Work after the commit, on the node that stored the message; best effort (inbox updates). */
export type LiveSubscriber = (stored: StoredMessage) => Promise<void>;
