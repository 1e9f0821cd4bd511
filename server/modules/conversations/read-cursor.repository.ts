import { sql } from 'kysely';
import { issueWrite, prepared } from '../../platform/db/prepared.js';
import type { Executor } from '../../platform/db/schema.js';
import type { ReadCursorsTable } from '../../platform/db/schema-receipts.js';
import { type Scope, scopeWhere } from '../handoff/scope.js';

export type ReaderKind = ReadCursorsTable['reader_kind'];

/**
 * Moves a reader's cursor forward, never back: a stale frame from a slow device cannot undo a read
 * made on another. `delivered_seq` is kept at least `read_seq` (what was read was delivered).
 */
export async function advanceCursor(
  db: Executor,
  row: Omit<ReadCursorsTable, 'delivered_seq' | 'read_seq'> & { delivered_seq: number; read_seq: number },
): Promise<void> {
  const delivered = Math.max(row.delivered_seq, row.read_seq);
  // Nobody reads what it changed: on PostgreSQL, in a message's transaction, it goes out with the commit.
  await issueWrite(
    db,
    advanceQuery,
    row.conversation_id,
    row.workspace_id,
    row.reader_kind,
    row.reader_id,
    delivered,
    row.read_seq,
    row.updated_at,
  );
}

// Prepared: an author's cursor moves with every message they write (read-cursors.ts).
const advanceQuery = prepared(
  7,
  (
    db,
    conversationId: string,
    workspaceId: string,
    readerKind: ReaderKind,
    readerId: string,
    delivered: number,
    read: number,
    at: string,
  ) =>
    db
      .insertInto('read_cursors')
      .values({
        conversation_id: conversationId,
        workspace_id: workspaceId,
        reader_kind: readerKind,
        reader_id: readerId,
        delivered_seq: delivered,
        read_seq: read,
        updated_at: at,
      })
      .onConflict((oc) =>
        oc.columns(['conversation_id', 'reader_kind', 'reader_id']).doUpdateSet({
          read_seq: sql`CASE WHEN excluded.read_seq > read_cursors.read_seq THEN excluded.read_seq ELSE read_cursors.read_seq END`,
          delivered_seq: sql`CASE WHEN excluded.delivered_seq > read_cursors.delivered_seq THEN excluded.delivered_seq ELSE read_cursors.delivered_seq END`,
          updated_at: sql`excluded.updated_at`,
        }),
      ),
);

/**
 * A reader's cursor. A visitor's is the further of their row (moved by their receipts) and the seq of
 * their latest message, which that message's own UPDATE keeps on the conversation (allocateSeq), so
 * a visitor's message writes no cursor row.
 */
export async function findCursor(
  db: Executor,
  conversationId: string,
  kind: ReaderKind,
  readerId: string,
): Promise<{ delivered_seq: number; read_seq: number } | undefined> {
  if (kind === 'visitor') {
    const row = await db
      .selectFrom('conversations as v')
      .leftJoin('read_cursors as c', (join) =>
        join
          .onRef('c.conversation_id', '=', 'v.id')
          .on('c.reader_kind', '=', 'visitor')
          .on('c.reader_id', '=', readerId),
      )
      .select(['v.visitor_id', 'v.last_visitor_seq', 'c.delivered_seq', 'c.read_seq'])
      .where('v.id', '=', conversationId)
      .executeTakeFirst();
    const wrote = row?.visitor_id === readerId ? Number(row.last_visitor_seq) : 0;
    if (!row || (row.read_seq === null && wrote === 0)) return undefined;
    return {
      delivered_seq: Math.max(Number(row.delivered_seq ?? 0), wrote),
      read_seq: Math.max(Number(row.read_seq ?? 0), wrote),
    };
  }
  return db
    .selectFrom('read_cursors')
    .select(['delivered_seq', 'read_seq'])
    .where('conversation_id', '=', conversationId)
    .where('reader_kind', '=', kind)
    .where('reader_id', '=', readerId)
    .executeTakeFirst();
}

/** The furthest any reader of this kind got (the visitor, or the furthest agent). */
export async function findFurthestCursor(db: Executor, conversationId: string, kind: ReaderKind) {
  if (kind === 'visitor') {
    // The visitor's row and the seq of their latest message (see findCursor).
    const row = await db
      .selectFrom('conversations as v')
      .leftJoin('read_cursors as c', (join) =>
        join.onRef('c.conversation_id', '=', 'v.id').on('c.reader_kind', '=', 'visitor'),
      )
      .select([
        (eb) => eb.fn.max('c.delivered_seq').as('delivered_seq'),
        (eb) => eb.fn.max('c.read_seq').as('read_seq'),
        (eb) => eb.fn.max('v.last_visitor_seq').as('wrote'),
      ])
      .where('v.id', '=', conversationId)
      .executeTakeFirst();
    const wrote = Number(row?.wrote ?? 0);
    return {
      deliveredSeq: Math.max(Number(row?.delivered_seq ?? 0), wrote),
      readSeq: Math.max(Number(row?.read_seq ?? 0), wrote),
    };
  }
  const row = await db
    .selectFrom('read_cursors')
    .select([
      (eb) => eb.fn.max('delivered_seq').as('delivered_seq'),
      (eb) => eb.fn.max('read_seq').as('read_seq'),
    ])
    .where('conversation_id', '=', conversationId)
    .where('reader_kind', '=', kind)
    .executeTakeFirst();
  return { deliveredSeq: Number(row?.delivered_seq ?? 0), readSeq: Number(row?.read_seq ?? 0) };
}

export async function deleteCursorsOf(db: Executor, conversationIds: readonly string[]): Promise<void> {
  if (conversationIds.length === 0) return;
  await db.deleteFrom('read_cursors').where('conversation_id', 'in', conversationIds).execute();
}

/**
 * An agent's read position in the open conversations their scope reaches (handoff/scope.ts decides
 * in SQL), newest first, and how many of them hold anything unread.
 */
export async function listReadStateOfAgent(
  db: Executor,
  options: { workspaceId: string; userId: string; scope: Scope; limit: number },
) {
  const base = db
    .selectFrom('conversations')
    .leftJoin('queries', 'queries.id', 'conversations.query_id')
    .leftJoin('read_cursors as c', (join) =>
      join
        .onRef('c.conversation_id', '=', 'conversations.id')
        .on('c.reader_kind', '=', 'agent')
        .on('c.reader_id', '=', options.userId),
    )
    .where('conversations.workspace_id', '=', options.workspaceId)
    .where(scopeWhere(options.scope))
    .where('conversations.status', '=', 'open');
  const [rows, unread] = await Promise.all([
    base
      .select(['conversations.id', 'conversations.last_seq', 'c.read_seq'])
      .orderBy('conversations.last_message_at', 'desc')
      .orderBy('conversations.id')
      .limit(options.limit)
      .execute(),
    base
      .where((eb) => eb('conversations.last_seq', '>', eb.fn.coalesce('c.read_seq', sql.lit(0))))
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst(),
  ]);
  return {
    rows: rows.map((r) => ({ id: r.id, lastSeq: Number(r.last_seq), readSeq: Number(r.read_seq ?? 0) })),
    unreadConversations: Number(unread?.n ?? 0),
  };
}
