import type { Author } from '../../../protocol/common.js';
import type { ActionRef, StructuredContent } from '../../../protocol/structured.js';
import { AppError } from '../../errors.js';
import { clock } from '../../platform/clock.js';
import { dialectOf } from '../../platform/db/dialect.js';
import type { Executor, MessagesTable } from '../../platform/db/schema.js';
import { timeOrderedId } from '../../platform/ids.js';
import { claimAttachments, findAttachable } from '../attachments/attach-to-message.js';
import { openMessageRow, sealMessageRow, sealPreview } from '../encryption/message-cipher.js';
import type { VisitorKey } from '../encryption/visitor-key.js';
import { allocateSeq } from './conversation.repository.js';
import { findMessageByClientId, insertMessageOnce } from './message.repository.js';
import type { ConversationAfterSend } from './message-events.js';
import { issueOwedTurns } from './message-outbox.repository.js';
import type { MessageStream, StoredMessage } from './message-stream.js';
import { TURN_LEASE_MS } from './owed-turns.js';
import { previewOf } from './presenters.js';
import { allocateSeqAndInsert, type MessageDraft } from './send.repository.js';

/** A resend found under the row lock: the original message, answered instead of storing again. */
export class Duplicate {
  constructor(readonly row: MessagesTable) {}
}

export interface StoreInput {
  conversationId: string;
  author: Author;
  clientId: string;
  body: string;
  /** Checked by the caller (post-message.ts) against what this author may send. */
  structured?: StructuredContent | null;
  action?: ActionRef;
  /** Uploads of the author to this conversation that the message carries (attachments/). */
  attachmentIds?: string[];
}

export interface Stored extends StoredMessage {
  /**
   * The turns durable subscribers owe this message, leased by this node: settled once the message's
   * transaction has returned (on PostgreSQL the outbox row goes out with the commit).
   */
  owed: Promise<Array<{ id: string; subscriber: string }>>;
}

/**
 * The message's commit, inside the caller's transaction: the conversation's next seq (the UPDATE
 * locks the conversation row, so seqs are unique and gap-free), the sealed row, once per
 * (conversation, clientId), what in-transaction subscribers change with it (the handoff query's
 * state), and the turns durable subscribers owe it (the bot's reply). A resend throws `Duplicate`
 * with the original; a closed conversation refuses new messages but still answers a resend.
 */
export async function storeMessage(
  trx: Executor,
  o: StoreInput & { key: VisitorKey; stream: MessageStream },
): Promise<Stored> {
  const { key, conversationId, clientId } = o;
  const now = clock.now();
  const at = new Date(now).toISOString();
  // A message of files alone still says something in the inbox: how many files it carries.
  const count = o.attachmentIds?.length ?? 0;
  const line = o.body || (count === 1 ? 'Sent a file' : `Sent ${count} files`);
  const preview = sealPreview(key, conversationId, previewOf(line));
  // Time-ordered: the message's key, and its search terms' keys after it, append to their indexes.
  const id = timeOrderedId(now);
  const draft: MessageDraft = {
    id,
    conversation_id: conversationId,
    client_id: clientId,
    author_kind: o.author.kind,
    author_id: o.author.id,
    author_name: o.author.name,
    body: o.body,
    created_at: at,
    structured: o.structured ? JSON.stringify(o.structured) : null,
    action_ref: o.action ? JSON.stringify({ seq: o.action.seq, id: o.action.id }) : null,
  };
  const { conversation, message, inserted } =
    o.attachmentIds || dialectOf(trx) === 'sqlite'
      ? await seqThenRow(trx, { ...o, at, preview, draft })
      : await seqAndRow(trx, { ...o, at, preview, draft });
  // The unique (conversation, client id) index finds a resend, under the row lock taken above.
  if (!inserted) {
    await throwIfSent(trx, key, conversationId, clientId);
    throw new Error('message insert ignored without an earlier message');
  }
  if (o.attachmentIds) await claimAttachments(trx, { conversationId, messageId: id, ids: o.attachmentIds });
  const stored = { message, conversation };
  const subscribers = await o.stream.stored(trx, stored);
  // Turns of one conversation run in seq order: a turn behind one still owed is left for the sweep.
  const { done: owed } = await issueOwedTurns(trx, {
    turns: subscribers.map((subscriber) => ({ id: timeOrderedId(now), subscriber })),
    workspaceId: message.workspace_id,
    conversationId,
    messageId: message.id,
    seq: message.seq,
    at,
    owner: o.stream.node,
    leaseUntil: new Date(Date.now() + TURN_LEASE_MS).toISOString(),
  });
  return { ...stored, owed };
}

interface Sending {
  key: VisitorKey;
  conversationId: string;
  clientId: string;
  author: Author;
  attachmentIds?: string[];
  at: string;
  preview: string;
  draft: MessageDraft;
}

/**
 * The seq, then the row: two statements. On SQLite they cost no round trip; a message with files
 * has them checked in between, under the conversation's row lock.
 */
async function seqThenRow(trx: Executor, o: Sending) {
  const { key, conversationId, clientId } = o;
  const conversation = await allocateSeq(trx, conversationId, o.at, o.preview, o.author.kind);
  if (!conversation) throw new AppError('conversation_not_found');
  await refuseIfClosed(trx, o, conversation);
  // Only a message with files pays for them: a plain text message runs no query here.
  const files = o.attachmentIds
    ? await findAttachable(trx, { key, conversationId, ids: o.attachmentIds, uploader: o.author }).catch(
        async (err: unknown) => {
          // A resend finds its files taken by the original: it is answered as the duplicate it is.
          await throwIfSent(trx, key, conversationId, clientId);
          throw err;
        },
      )
    : null;
  const message: MessagesTable = {
    ...o.draft,
    workspace_id: conversation.workspace_id,
    seq: conversation.last_seq,
    ...(files ? { attachments: JSON.stringify(files) } : {}),
  };
  const inserted = await insertMessageOnce(trx, sealMessageRow(key, message));
  return { conversation, message, inserted };
}

/** The seq and the row in one statement (PostgreSQL): one round trip less under the row lock. */
async function seqAndRow(trx: Executor, o: Sending) {
  const sealed = sealMessageRow(o.key, { ...o.draft, workspace_id: '', seq: 0 });
  const sent = await allocateSeqAndInsert(trx, {
    at: o.at,
    preview: o.preview,
    authorKind: o.author.kind,
    row: { ...o.draft, body: sealed.body },
  });
  if (!sent) throw new AppError('conversation_not_found');
  const { conversation, inserted } = sent;
  // A closed conversation's row is not inserted (the statement checks): refused, or a resend answered.
  await refuseIfClosed(trx, o, conversation);
  const message: MessagesTable = {
    ...o.draft,
    workspace_id: conversation.workspace_id,
    seq: conversation.last_seq,
  };
  return { conversation, message, inserted };
}

/**
 * Only a closed conversation refuses: a visitor's message reopens a resolved, pending or snoozed one
 * (lifecycle subscriber, in this transaction); an agent may write to any of them. A resend of a
 * message sent before it closed is still answered.
 */
async function refuseIfClosed(trx: Executor, o: Sending, conversation: ConversationAfterSend) {
  if (conversation.status !== 'closed') return;
  await throwIfSent(trx, o.key, o.conversationId, o.clientId);
  throw new AppError('conversation_closed');
}

async function throwIfSent(trx: Executor, key: VisitorKey, conversationId: string, clientId: string) {
  const earlier = await findMessageByClientId(trx, conversationId, clientId);
  if (earlier) throw new Duplicate(openMessageRow(key, earlier));
}
