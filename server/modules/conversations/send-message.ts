import { randomUUID } from 'node:crypto';
import type { Author } from '../../../protocol/common.js';
import type { ActionRef, StructuredContent } from '../../../protocol/structured.js';
import { AppError } from '../../errors.js';
import { nowIso } from '../../platform/clock.js';
import type { ConversationsTable, Db, Executor, MessagesTable } from '../../platform/db/schema.js';
import { openMessageRow, sealMessageRow, sealPreview } from '../encryption/message-cipher.js';
import type { Vault, VisitorKey } from '../encryption/vault.js';
import { trackQueryActivity } from '../service/track-query-activity.js';
import { allocateSeq } from './conversation.repository.js';
import { findMessageByClientId, insertMessageOnce } from './message.repository.js';
import { previewOf } from './presenters.js';
import { checkStructured } from './structured-content.js';

class Duplicate {
  constructor(readonly row: MessagesTable) {}
}

export interface SendResult {
  message: MessagesTable;
  duplicate: boolean;
  /** The conversation as the send left it (not on a duplicate): the bot's turn starts from it. */
  conversation?: ConversationsTable;
}

/**
 * Stores a message with the conversation's next seq, once per (conversation, clientId). A resend of
 * the same client id returns the original row; a different body under that id is a conflict. The
 * handoff query moves with the message in the same commit (track-query-activity.ts). The caller has
 * already checked that the author may write to the conversation; it acks and publishes only after
 * this resolves, i.e. after the commit (on SQLite a group commit shared with concurrent writes:
 * platform/db/group-commit-driver.ts).
 */
export async function sendMessage(options: {
  db: Db;
  vault: Vault;
  conversationId: string;
  author: Author;
  clientId: string;
  body: string;
  /** Buttons and cards (bots and agents); checked here again, whoever built them. */
  structured?: StructuredContent;
  /** The quick reply this message answers; the caller has checked it belongs to that message. */
  action?: ActionRef;
}): Promise<SendResult> {
  const { db, conversationId, author, clientId, body } = options;
  const structured = options.structured ? checkStructured(options.structured) : null;
  // The body and preview are sealed under the visitor's data key (cached: no query when warm).
  const key = await options.vault.forConversation(db, conversationId);
  if (!key) throw new AppError('conversation_not_found');
  const preview = sealPreview(key, conversationId, previewOf(body));
  try {
    return await db.transaction().execute(async (trx) => {
      const at = nowIso();
      const allocated = await allocateSeq(trx, conversationId, at, preview);
      if (!allocated) throw new AppError('conversation_not_found');
      // A resend is answered as before even once the conversation has closed.
      if (allocated.status !== 'open') {
        await throwIfSent(trx, key, conversationId, clientId);
        throw new AppError('conversation_closed');
      }
      const row: MessagesTable = {
        id: randomUUID(),
        workspace_id: allocated.workspace_id,
        conversation_id: conversationId,
        seq: allocated.last_seq,
        client_id: clientId,
        author_kind: author.kind,
        author_id: author.id,
        author_name: author.name,
        body,
        created_at: at,
        structured: structured ? JSON.stringify(structured) : null,
        action_ref: options.action
          ? JSON.stringify({ seq: options.action.seq, id: options.action.id })
          : null,
      };
      // The unique (conversation, client id) index finds a resend, under the row lock taken above.
      if (!(await insertMessageOnce(trx, sealMessageRow(key, row)))) {
        await throwIfSent(trx, key, conversationId, clientId);
        throw new Error('message insert ignored without an earlier message');
      }
      await trackQueryActivity(trx, row, allocated.query_id);
      return { message: row, duplicate: false, conversation: allocated };
    });
  } catch (err) {
    if (err instanceof Duplicate) return settleDuplicate(err.row, author, body);
    throw err;
  }
}

async function throwIfSent(trx: Executor, key: VisitorKey, conversationId: string, clientId: string) {
  const earlier = await findMessageByClientId(trx, conversationId, clientId);
  if (earlier) throw new Duplicate(openMessageRow(key, earlier));
}

function settleDuplicate(row: MessagesTable, author: Author, body: string): SendResult {
  if (row.body !== body || row.author_id !== author.id || row.author_kind !== author.kind) {
    throw new AppError('client_id_conflict');
  }
  return { message: row, duplicate: true };
}
