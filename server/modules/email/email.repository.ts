import { issueWrite, prepared } from '../../platform/db/prepared.js';
import type { Executor } from '../../platform/db/schema.js';
import type { EmailChannelMailsTable, EmailDeliveriesTable } from '../../platform/db/schema-email.js';

/** An agent's reply waits to be mailed: the thread is pending from the first such reply on. */
export async function markReplyPending(
  db: Executor,
  o: { conversationId: string; workspaceId: string; visitorId: string; at: string },
): Promise<void> {
  // Nobody reads what it changed: on PostgreSQL, in a message's transaction, it goes out with the commit.
  await issueWrite(db, markPendingQuery, o.conversationId, o.workspaceId, o.visitorId, o.at);
}

// Prepared: every reply from the team marks its thread.
const markPendingQuery = prepared(
  4,
  (db, conversationId: string, workspaceId: string, visitorId: string, at: string) =>
    db
      .insertInto('email_threads')
      .values({
        conversation_id: conversationId,
        workspace_id: workspaceId,
        visitor_id: visitorId,
        pending_since: at,
        mailed_seq: 0,
        updated_at: at,
      })
      // Keeps the first waiting reply's time: later replies join its mail instead of delaying it.
      .onConflict((oc) =>
        oc.column('conversation_id').doUpdateSet((eb) => ({
          pending_since: eb.fn.coalesce('email_threads.pending_since', eb.val(at)),
          updated_at: at,
        })),
      ),
);

/** Threads whose wait has passed, oldest first. */
export function listDueThreads(db: Executor, o: { dueBefore: string; limit: number }) {
  return db
    .selectFrom('email_threads')
    .selectAll()
    .where('pending_since', 'is not', null)
    .where('pending_since', '<=', o.dueBefore)
    .orderBy('pending_since')
    .limit(o.limit)
    .execute();
}

export function findThread(db: Executor, conversationId: string) {
  return db
    .selectFrom('email_threads')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .executeTakeFirst();
}

/**
 * Takes a thread's batch: moves `mailed_seq` from what was read to `toSeq` and clears the wait, only
 * if nobody moved it meanwhile. Of two nodes that read the same thread, exactly one gets true.
 */
export async function claimBatch(
  db: Executor,
  o: { conversationId: string; fromSeq: number; toSeq: number; pendingSince: string | null; at: string },
): Promise<boolean> {
  let q = db
    .updateTable('email_threads')
    .set({ mailed_seq: o.toSeq, pending_since: null, updated_at: o.at })
    .where('conversation_id', '=', o.conversationId)
    .where('mailed_seq', '=', o.fromSeq);
  q =
    o.pendingSince === null
      ? q.where('pending_since', 'is', null)
      : q.where('pending_since', '=', o.pendingSince);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** A send failed after its claim: the batch waits again (unless a later claim moved on). */
export async function unclaimBatch(
  db: Executor,
  o: { conversationId: string; fromSeq: number; toSeq: number; pendingSince: string; at: string },
): Promise<void> {
  await db
    .updateTable('email_threads')
    .set({ mailed_seq: o.fromSeq, pending_since: o.pendingSince, updated_at: o.at })
    .where('conversation_id', '=', o.conversationId)
    .where('mailed_seq', '=', o.toSeq)
    .execute();
}

/** Nothing to mail (seen, no address, opted out): the wait ends without a mail. */
export async function clearPending(
  db: Executor,
  o: { conversationId: string; pendingSince: string; at: string },
) {
  await db
    .updateTable('email_threads')
    .set({ pending_since: null, updated_at: o.at })
    .where('conversation_id', '=', o.conversationId)
    .where('pending_since', '=', o.pendingSince)
    .execute();
}

export async function insertDelivery(db: Executor, row: EmailDeliveriesTable): Promise<void> {
  await db.insertInto('email_deliveries').values(row).execute();
}

export function listDeliveries(db: Executor, conversationId: string) {
  return db
    .selectFrom('email_deliveries')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .orderBy('created_at')
    .orderBy('to_seq')
    .execute();
}

export async function insertOptOut(db: Executor, o: { visitorId: string; workspaceId: string; at: string }) {
  await db
    .insertInto('email_opt_outs')
    .values({ visitor_id: o.visitorId, workspace_id: o.workspaceId, created_at: o.at })
    .onConflict((oc) => oc.column('visitor_id').doNothing())
    .execute();
}

export async function isOptedOut(db: Executor, visitorId: string): Promise<boolean> {
  const row = await db
    .selectFrom('email_opt_outs')
    .select('visitor_id')
    .where('visitor_id', '=', visitorId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Erasure and deleted conversations: their mail records go with them. */
export async function deleteEmailRecordsOf(db: Executor, conversationIds: readonly string[]): Promise<void> {
  if (conversationIds.length === 0) return;
  await db.deleteFrom('email_deliveries').where('conversation_id', 'in', conversationIds).execute();
  await db.deleteFrom('email_threads').where('conversation_id', 'in', conversationIds).execute();
  await db.deleteFrom('email_channel_mails').where('conversation_id', 'in', conversationIds).execute();
}

export async function deleteOptOutOf(db: Executor, visitorId: string): Promise<void> {
  await db.deleteFrom('email_opt_outs').where('visitor_id', '=', visitorId).execute();
}

export async function lastDeliveryAt(
  db: Executor,
  conversationId: string,
  kind?: EmailDeliveriesTable['kind'],
): Promise<string | null> {
  let q = db
    .selectFrom('email_deliveries')
    .select('created_at')
    .where('conversation_id', '=', conversationId)
    .orderBy('created_at', 'desc')
    .limit(1);
  if (kind) q = q.where('kind', '=', kind);
  return (await q.executeTakeFirst())?.created_at ?? null;
}

/** Mail sent outside the batch (a follow-up) covered the replies up to `seq`: nothing of them waits. */
export async function settleThrough(
  db: Executor,
  o: { conversationId: string; workspaceId: string; visitorId: string; seq: number; at: string },
): Promise<void> {
  await db
    .insertInto('email_threads')
    .values({
      conversation_id: o.conversationId,
      workspace_id: o.workspaceId,
      visitor_id: o.visitorId,
      pending_since: null,
      mailed_seq: o.seq,
      updated_at: o.at,
    })
    .onConflict((oc) =>
      oc
        .column('conversation_id')
        .doUpdateSet({ mailed_seq: o.seq, pending_since: null, updated_at: o.at })
        .where('email_threads.mailed_seq', '<', o.seq),
    )
    .execute();
}

/** A mail of an email channel conversation, once per message (a redelivery or a retried send: no-op). */
export async function insertChannelMail(db: Executor, row: EmailChannelMailsTable): Promise<void> {
  await db
    .insertInto('email_channel_mails')
    .values(row)
    .onConflict((oc) => oc.column('message_id').doNothing())
    .execute();
}

export function findChannelMail(db: Executor, messageId: string) {
  return db
    .selectFrom('email_channel_mails')
    .selectAll()
    .where('message_id', '=', messageId)
    .executeTakeFirst();
}

/** The conversations of a workspace that mails with these keyed Message-ID hashes belong to. */
export function findConversationsOfMailKeys(db: Executor, workspaceId: string, keys: readonly string[]) {
  if (keys.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('email_channel_mails')
    .select(['mail_key', 'conversation_id'])
    .where('workspace_id', '=', workspaceId)
    .where('mail_key', 'in', keys)
    .execute();
}

/** A conversation's mails, newest first: the thread a reply references. */
export function listChannelMails(db: Executor, conversationId: string, limit: number) {
  return db
    .selectFrom('email_channel_mails')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .orderBy('created_at', 'desc')
    .orderBy('message_id')
    .limit(limit)
    .execute();
}

/** The verdicts on a conversation's inbound mails that have any, newest first, with their messages' seqs. */
export function listMailChecks(db: Executor, conversationId: string, limit: number) {
  return db
    .selectFrom('email_channel_mails')
    .innerJoin('messages', 'messages.id', 'email_channel_mails.message_id')
    .select([
      'messages.seq',
      'email_channel_mails.spf',
      'email_channel_mails.dkim',
      'email_channel_mails.dmarc',
    ])
    .where('email_channel_mails.conversation_id', '=', conversationId)
    .where('email_channel_mails.direction', '=', 'in')
    .where((eb) =>
      eb.or([
        eb('email_channel_mails.spf', 'is not', null),
        eb('email_channel_mails.dkim', 'is not', null),
        eb('email_channel_mails.dmarc', 'is not', null),
      ]),
    )
    .orderBy('messages.seq', 'desc')
    .limit(limit)
    .execute();
}
