import type { ReadCursor } from '../../../protocol/ws.js';
import type { Executor } from '../../platform/db/schema.js';
import type { PubSub } from '../../platform/pubsub/pubsub.js';
import { publishReceipt, type Reader, readCursorOf } from './mark-read.js';
import type { MessageStream } from './message-stream.js';
import { advanceCursor, findFurthestCursor } from './read-cursor.repository.js';

/**
 * A reader's own message is read by them: the cursor moves with it, in the message's transaction,
 * so an unread count (`last_seq - read_seq`) never counts what one wrote, on any device. Bots and
 * API tokens are not readers. After the commit the reader's other devices hear of it.
 */
export function registerReadCursors(stream: MessageStream, deps: { pubsub: PubSub }): void {
  stream.onStore(async (trx, { message }) => {
    const reader = readerOf(message.author_kind, message.author_id);
    if (!reader) return;
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
  // without reading it back; clients keep the furthest cursor they heard of.
  stream.onCreated(async ({ message }) => {
    const reader = readerOf(message.author_kind, message.author_id);
    if (!reader) return;
    await publishReceipt(deps.pubsub, message.workspace_id, {
      kind: 'receipt',
      conversationId: message.conversation_id,
      reader,
      from: null,
      deliveredSeq: message.seq,
      readSeq: message.seq,
    });
  });
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
