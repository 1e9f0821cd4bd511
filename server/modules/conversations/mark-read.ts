import type { ReadCursor } from '../../../protocol/ws.js';
import { nowIso } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/schema.js';
import type { PubSub } from '../../platform/pubsub/pubsub.js';
import { findLastSeqs } from './conversation.repository.js';
import { conversationChannel, workspaceChannel } from './events.js';
import { advanceCursor, findCursor, type ReaderKind } from './read-cursor.repository.js';

export interface Reader {
  kind: ReaderKind;
  id: string;
}

/**
 * What travels on pub/sub when a cursor moves: on the conversation's channel (the other side and the
 * reader's devices that follow it) and, for an agent, on the workspace channel, where only that
 * agent's inbox sockets take it (their unread counts). `from` is the socket that sent the receipt.
 */
export type ReceiptEvent = {
  kind: 'receipt';
  conversationId: string;
  reader: Reader;
  from: string | null;
} & ReadCursor;

/**
 * A reader has seen (or received) a conversation up to `seq`. The cursor only moves forward and never
 * past the conversation's last message, so a client cannot make a count negative or mark a message
 * that does not exist yet. The caller has checked the reader may reach the conversation.
 */
export async function markRead(
  deps: { db: Executor; pubsub: PubSub },
  input: {
    workspaceId: string;
    conversationId: string;
    reader: Reader;
    state: 'delivered' | 'read';
    seq: number;
    /** The socket that asked, which is answered directly rather than by the broadcast. */
    from?: string;
  },
): Promise<ReadCursor> {
  const last = (await findLastSeqs(deps.db, [input.conversationId])).get(input.conversationId) ?? 0;
  const seq = Math.min(input.seq, last);
  await advanceCursor(deps.db, {
    conversation_id: input.conversationId,
    workspace_id: input.workspaceId,
    reader_kind: input.reader.kind,
    reader_id: input.reader.id,
    delivered_seq: seq,
    read_seq: input.state === 'read' ? seq : 0,
    updated_at: nowIso(),
  });
  const cursor = await readCursorOf(deps.db, input.conversationId, input.reader);
  await publishReceipt(deps.pubsub, input.workspaceId, {
    kind: 'receipt',
    conversationId: input.conversationId,
    reader: input.reader,
    from: input.from ?? null,
    ...cursor,
  });
  return cursor;
}

export async function readCursorOf(
  db: Executor,
  conversationId: string,
  reader: Reader,
): Promise<ReadCursor> {
  const row = await findCursor(db, conversationId, reader.kind, reader.id);
  return { deliveredSeq: Number(row?.delivered_seq ?? 0), readSeq: Number(row?.read_seq ?? 0) };
}

/** Best effort, like typing: the cursor is stored, and a client reads it again on resubscribe. */
export async function publishReceipt(
  pubsub: PubSub,
  workspaceId: string,
  event: ReceiptEvent,
): Promise<void> {
  const payload = JSON.stringify(event);
  await pubsub.publish(conversationChannel(event.conversationId), payload);
  if (event.reader.kind === 'agent') await pubsub.publish(workspaceChannel(workspaceId), payload);
}
