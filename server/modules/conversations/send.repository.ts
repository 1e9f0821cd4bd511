import { prepared } from '../../platform/db/prepared.js';
import type { Executor, MessagesTable } from '../../platform/db/schema.js';
import { AFTER_SEND_COLUMNS } from './conversation.repository.js';
import { MESSAGE_COLUMNS } from './message.repository.js';
import type { ConversationAfterSend } from './message-events.js';

/** A message's row before it has its conversation's workspace and seq, which the statement adds. */
export type MessageDraft = Omit<MessagesTable, 'workspace_id' | 'seq'>;

type DraftColumn = Exclude<(typeof MESSAGE_COLUMNS)[number], 'workspace_id' | 'seq' | 'attachments'>;
/** What the statement binds: a message with files does not come here, so `attachments` is not bound. */
const DRAFT_COLUMNS = MESSAGE_COLUMNS.filter(
  (c): c is DraftColumn => c !== 'workspace_id' && c !== 'seq' && c !== 'attachments',
);

/**
 * PostgreSQL only (its WITH takes an UPDATE and an INSERT; SQLite's does not): the conversation's
 * next seq and the message's row in one statement, one round trip instead of two while the
 * conversation's row is locked. The same rules as `allocateSeq` then `insertMessageOnce`: the UPDATE
 * takes the seq and locks the row; the row goes in unless the conversation is closed or already has
 * a message with this client id. Returns the conversation as after the send (nothing when it does
 * not exist) and whether the row went in. A message with files does not come here: its files are
 * checked between the two.
 */
export async function allocateSeqAndInsert(
  db: Executor,
  o: { at: string; preview: string; authorKind: MessagesTable['author_kind']; row: MessageDraft },
): Promise<{ conversation: ConversationAfterSend; inserted: boolean } | undefined> {
  const query = o.authorKind === 'visitor' ? visitorSendQuery : sendQuery;
  const values = DRAFT_COLUMNS.map((c) => o.row[c] ?? null);
  const found = (await query(db, o.at, o.preview, ...values)).rows[0];
  if (!found) return undefined;
  const { inserted, ...conversation } = found;
  return { conversation, inserted: Boolean(inserted) };
}

const sendStatement = (visitor: boolean) =>
  prepared(2 + DRAFT_COLUMNS.length, (db, at: unknown, preview: unknown, ...values: unknown[]) => {
    const v = Object.fromEntries(DRAFT_COLUMNS.map((c, i) => [c, values[i]])) as Record<DraftColumn, string>;
    return db
      .with('c', (q) =>
        q
          .updateTable('conversations')
          .set((eb) => ({
            last_seq: eb('last_seq', '+', 1),
            // Both see the row as it was before the UPDATE: the seq the message takes.
            ...(visitor ? { last_visitor_seq: eb('last_seq', '+', 1) } : {}),
            last_message_at: at as string,
            last_message_preview: preview as string,
            updated_at: at as string,
          }))
          .where('id', '=', v.conversation_id)
          .returning(AFTER_SEND_COLUMNS),
      )
      .with('m', (q) =>
        q
          .insertInto('messages')
          .columns([...DRAFT_COLUMNS, 'workspace_id', 'seq'])
          .expression((eb) =>
            eb
              .selectFrom('c')
              .select((s) => [
                ...DRAFT_COLUMNS.map((c) => s.val(v[c]).as(c)),
                'c.workspace_id',
                s.ref('c.last_seq').as('seq'),
              ])
              .where('c.status', '!=', 'closed'),
          )
          .onConflict((oc) => oc.columns(['conversation_id', 'client_id']).doNothing())
          .returning('id'),
      )
      .selectFrom('c')
      .selectAll('c')
      .select((eb) => eb.exists(eb.selectFrom('m').select('m.id')).as('inserted'));
  });

const sendQuery = sendStatement(false);
const visitorSendQuery = sendStatement(true);
