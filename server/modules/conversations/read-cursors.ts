import type { Message } from '../../../protocol/common.js';
import type { ReadCursor } from '../../../protocol/ws.js';
import type { Executor } from '../../platform/db/schema.js';
import type { PubSub } from '../../platform/pubsub/pubsub.js';
import { workspaceChannel } from './events.js';
import { type Reader, type ReceiptEvent, readCursorOf } from './mark-read.js';
import type { MessageStream } from './message-stream.js';
import { advanceCursor, findFurthestCursor } from './read-cursor.repository.js';

/**
 * A reader's own message is read by them: the cursor moves with it, in the message's transaction,
 * so an unread count (`last_seq - read_seq`) never counts what one wrote, on any device. Bots and
 * API tokens are not readers. A visitor's cursor moves in the seq's own UPDATE (the conversation's
 * `last_visitor_seq`, see findCursor); an agent's, of whom a conversation may have several, here.
 * After the commit the reader's other devices hear of it.
 */
export function registerReadCursors(stream: MessageStream, deps: { pubsub: PubSub }): void {
  stream.onStore(async (trx, { message }) => {
    const reader = readerOf(message.author_kind, message.author_id);
    if (reader?.kind !== 'agent') return;
    await advanceCursor(trx, {
      conversation_id: message.conversation_id,
      workspace_id: message.workspace_id,
      reader_kind: reader.kind,
      reader_id: reader.id,
      delivered_seq: message.seq,
      read_seq: message.seq,
      updated_at: message.created_at,
    });
  });
  // The cursor stands at this message's seq (the newest when it committed), so the receipt says so
  // without reading it back; clients keep the furthest cursor they heard of. The conversation's
  // followers hear it from the message's own publication (authorReceipt, realtime/hub.ts): one event
  // per message on that channel, not two. An agent's own inbox sockets, on the workspace's channel,
  // hear it here.
  stream.onCreated(async ({ message }) => {
    if (message.author_kind !== 'agent') return;
    const receipt = receiptOf(message.conversation_id, { kind: 'agent', id: message.author_id }, message.seq);
    await deps.pubsub.publish(workspaceChannel(message.workspace_id), JSON.stringify(receipt));
  });
}

/** The receipt a message implies: its author has read the conversation up to it. Bots and API tokens are not readers. */
export function authorReceipt(message: Message): ReceiptEvent | null {
  const reader = readerOf(message.author.kind, message.author.id);
  return reader ? receiptOf(message.conversationId, reader, message.seq) : null;
}

function receiptOf(conversationId: string, reader: Reader, seq: number): ReceiptEvent {
  return { kind: 'receipt', conversationId, reader, from: null, deliveredSeq: seq, readSeq: seq };
}

function readerOf(kind: string, id: string): Reader | null {
  return kind === 'visitor' || kind === 'agent' ? { kind, id } : null;
}

/**
 * The cursors a subscription starts from: the reader's own and the other side's (for a visitor the
 * furthest agent, for an agent the visitor), so receipts and unread counts survive a reconnect.
 */
export async function cursorsFor(
  db: Executor,
  conversationId: string,
  reader: Reader,
): Promise<{ mine: ReadCursor; theirs: ReadCursor }> {
  const mine = await readCursorOf(db, conversationId, reader);
  const theirs = await findFurthestCursor(
    db,
    conversationId,
    reader.kind === 'visitor' ? 'agent' : 'visitor',
  );
  return { mine, theirs };
}
