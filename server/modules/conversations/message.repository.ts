import { prepared } from '../../platform/db/prepared.js';
import type { Executor, MessagesTable } from '../../platform/db/schema.js';

export async function insertMessage(db: Executor, row: MessagesTable): Promise<void> {
  await db.insertInto('messages').values(row).execute();
}

/** Inserts unless the conversation already has a message with this client id; false when it had. */
export async function insertMessageOnce(db: Executor, row: MessagesTable): Promise<boolean> {
  const result = await insertOnceQuery(db, ...MESSAGE_COLUMNS.map((c) => row[c] ?? null));
  return Number(result.numAffectedRows ?? 0n) > 0;
}

/** A message row's columns, in the order the prepared INSERTs bind them. */
export const MESSAGE_COLUMNS = [
  'id',
  'workspace_id',
  'conversation_id',
  'seq',
  'client_id',
  'author_kind',
  'author_id',
  'author_name',
  'body',
  'created_at',
  'structured',
  'action_ref',
  'attachments',
] as const satisfies ReadonlyArray<keyof MessagesTable>;

const insertOnceQuery = prepared(MESSAGE_COLUMNS.length, (db, ...values: unknown[]) =>
  db
    .insertInto('messages')
    .values(Object.fromEntries(MESSAGE_COLUMNS.map((c, i) => [c, values[i]])) as unknown as MessagesTable)
    .onConflict((oc) => oc.columns(['conversation_id', 'client_id']).doNothing()),
);

export function findMessageByClientId(db: Executor, conversationId: string, clientId: string) {
  return db
    .selectFrom('messages')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .where('client_id', '=', clientId)
    .executeTakeFirst();
}

/** Messages with afterSeq < seq < beforeSeq (beforeSeq optional), in seq order. */
export function listMessagesAfter(
  db: Executor,
  options: { conversationId: string; afterSeq: number; beforeSeq?: number; limit: number },
) {
  let q = db
    .selectFrom('messages')
    .selectAll()
    .where('conversation_id', '=', options.conversationId)
    .where('seq', '>', options.afterSeq);
  if (options.beforeSeq !== undefined) q = q.where('seq', '<', options.beforeSeq);
  return q.orderBy('seq').limit(options.limit).execute();
}

export function findMessageBySeq(db: Executor, conversationId: string, seq: number) {
  return db
    .selectFrom('messages')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .where('seq', '=', seq)
    .executeTakeFirst();
}

export function findMessageById(db: Executor, id: string) {
  return db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirst();
}
