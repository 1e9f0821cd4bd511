import type { Author } from '../../../protocol/common.js';
import type { ActionRef, StructuredContent } from '../../../protocol/structured.js';
import { AppError } from '../../errors.js';
import { directTransaction } from '../../platform/db/prepared.js';
import type { Db, MessagesTable } from '../../platform/db/schema.js';
import { emit } from '../../platform/metrics/signals.js';
import type { PubSub } from '../../platform/pubsub/pubsub.js';
import type { Vault } from '../encryption/vault.js';
import { publishStoredMessage } from './events.js';
import type { ConversationAfterSend, MessageStream } from './message-stream.js';
import { resolveAction } from './resolve-action.js';
import { Duplicate, type Stored, storeMessage } from './store-message.js';
import { checkStructured } from './structured-content.js';

/** What the message command needs; routes, sockets and the bot pass the same. */
export interface MessageDeps {
  db: Db;
  vault: Vault;
  pubsub: PubSub;
  stream: MessageStream;
}

export interface PostMessageInput {
  conversationId: string;
  author: Author;
  clientId: string;
  body: string;
  /** Cards from agents and API tokens; anything from the bot. */
  structured?: StructuredContent;
  /** The quick reply a visitor's message answers: checked against the bot message that offered it. */
  action?: ActionRef;
  /** Files the author uploaded to this conversation, carried by the message. */
  attachmentIds?: string[];
  /**
   * Called once the message is durable, before it is published: the socket acks here, so the
   * sender hears "stored" as early as it is true.
   */
  onStored?: (result: SendResult) => void;
}

export interface SendResult {
  message: MessagesTable;
  duplicate: boolean;
  /** The conversation as the send left it (not on a duplicate). */
  conversation?: ConversationAfterSend;
}

/**
 * The message command: every message, from a visitor, an agent, an API token or the bot, is
 * stored, acked through its caller, published to the conversation's subscribers on every node and
 * handed to the stream's subscribers (message-stream.ts: the handoff query, inbox updates, the bot's
 * durable turn). The caller has checked that the author may write to the conversation.
 *
 * A resend of the same client id returns the original (a different body under that id is a
 * conflict) and publishes it again: the sender's own echo may be what was lost.
 */
export async function postMessage(deps: MessageDeps, input: PostMessageInput): Promise<SendResult> {
  const started = performance.now();
  // Text is optional only beside files: a message says something or carries something.
  if (input.body.length === 0 && (input.attachmentIds?.length ?? 0) === 0)
    throw new AppError('message_empty');
  const structured = allowedContent(input.author, input.structured, input.action);
  const key = await deps.vault.forConversation(deps.db, input.conversationId);
  if (!key) throw new AppError('conversation_not_found');
  let stored: Stored;
  try {
    if (input.action) await resolveAction(deps.db, input.conversationId, input.action);
    stored = await directTransaction(
      deps.db,
      (trx) =>
        storeMessage(trx, {
          key,
          stream: deps.stream,
          conversationId: input.conversationId,
          author: input.author,
          clientId: input.clientId,
          body: input.body,
          structured,
          ...(input.action ? { action: input.action } : {}),
          ...(input.attachmentIds ? { attachmentIds: input.attachmentIds } : {}),
        }),
      input.conversationId,
    );
  } catch (err) {
    if (!(err instanceof Duplicate)) throw err;
    const result = settleDuplicate(err.row, input.author, input.body);
    input.onStored?.(result);
    await publishStoredMessage(deps, result.message);
    return result;
  }
  const result: SendResult = { message: stored.message, duplicate: false, conversation: stored.conversation };
  emit('message.stored', { kind: input.author.kind, seconds: (performance.now() - started) / 1000 });
  input.onStored?.(result);
  await announceMessage(deps, stored);
  return result;
}

/**
 * After a message's commit: to the conversation's subscribers, to the live subscribers, and its owed
 * turns to this node's runner. Nothing here can unstore it: a failure is logged, and open sockets
 * catch up from the database (realtime/hub.ts sweeps them).
 */
export async function announceMessage(deps: MessageDeps, stored: Stored): Promise<void> {
  await publishStoredMessage(deps, stored.message);
  await deps.stream.created(stored);
  deps.stream.turns.runStored(stored, await stored.owed);
}

/**
 * Who may send what. Sources (an article the bot answered from) and rating requests are Parley's
 * own: from anyone else they would let a message claim a policy no article backs, or ask for a
 * rating nobody resolved. Quick-reply buttons are the bot's; a visitor answers one, nobody else.
 */
function allowedContent(
  author: Author,
  structured: StructuredContent | undefined,
  action: ActionRef | undefined,
): StructuredContent | null {
  if (action && author.kind !== 'visitor') throw new AppError('invalid_action');
  if (!structured) return null;
  const content = checkStructured(structured);
  if (author.kind === 'bot') return content;
  if (author.kind === 'visitor') throw new AppError('part_not_allowed');
  if ((content.actions?.length ?? 0) > 0) throw new AppError('part_not_allowed');
  if ((content.parts ?? []).some((p) => p.type !== 'card')) throw new AppError('part_not_allowed');
  return content;
}

function settleDuplicate(row: MessagesTable, author: Author, body: string): SendResult {
  if (row.body !== body || row.author_id !== author.id || row.author_kind !== author.kind) {
    throw new AppError('client_id_conflict');
  }
  return { message: row, duplicate: true };
}
