import { prepared } from '../../platform/db/prepared.js';
import type { Executor, MessagesTable } from '../../platform/db/schema.js';
import type {
  SearchBacklogTable,
  SearchTermsTable,
  SearchVisitorTermsTable,
} from '../../platform/db/schema-labels-search.js';

/** Rows per INSERT: well under both dialects' bound-parameter limits. */
const CHUNK = 150;

export async function insertMessageTerms(db: Executor, rows: SearchTermsTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const values = chunk.flatMap((r) => [
      r.message_id,
      r.term_hash,
      r.workspace_id,
      r.conversation_id,
      r.personal,
    ]);
    await insertTermsQuery(chunk.length)(db, ...values);
  }
}

/**
 * The INSERT of `n` term rows, built and compiled once per row count: the indexer writes thousands of
 * rows a second, and Kysely rebuilding a statement of 750 parameters for each chunk cost more than
 * SQLite running it.
 */
function insertTermsQuery(n: number) {
  let query = insertTermsQueries.get(n);
  if (!query) {
    query = prepared(n * TERM_COLUMNS, (db, ...values: unknown[]) =>
      db
        .insertInto('search_terms')
        .values(
          Array.from({ length: n }, (_, r) => {
            const v = (c: number) => values[r * TERM_COLUMNS + c] as never;
            return {
              message_id: v(0),
              term_hash: v(1),
              workspace_id: v(2),
              conversation_id: v(3),
              personal: v(4),
            };
          }),
        )
        .onConflict((oc) => oc.columns(['message_id', 'term_hash']).doNothing()),
    );
    insertTermsQueries.set(n, query);
  }
  return query;
}
const TERM_COLUMNS = 5;
const insertTermsQueries = new Map<number, ReturnType<typeof prepared<unknown[], unknown>>>();

/** A visitor's name and email terms, replaced as a whole (the profile changed). */
export async function replaceVisitorTerms(
  db: Executor,
  visitorId: string,
  rows: SearchVisitorTermsTable[],
): Promise<void> {
  await db.deleteFrom('search_visitor_terms').where('visitor_id', '=', visitorId).execute();
  for (let i = 0; i < rows.length; i += CHUNK)
    await db
      .insertInto('search_visitor_terms')
      .values(rows.slice(i, i + CHUNK))
      .onConflict((oc) => oc.columns(['visitor_id', 'term_hash']).doNothing())
      .execute();
}

/** A page of messages in id order after `afterId` (the backfill walks every message once). */
export function selectMessagesAfter(
  db: Executor,
  o: { afterId: string; limit: number },
): Promise<MessagesTable[]> {
  return db
    .selectFrom('messages')
    .selectAll()
    .where('id', '>', o.afterId)
    .orderBy('id')
    .limit(o.limit)
    .execute();
}

/** A page of visitor profiles in id order after `afterId`. */
export function selectProfilesAfter(db: Executor, o: { afterId: string; limit: number }) {
  return db
    .selectFrom('visitor_profiles')
    .select(['visitor_id', 'workspace_id', 'name', 'email', 'expires_at'])
    .where('visitor_id', '>', o.afterId)
    .orderBy('visitor_id')
    .limit(o.limit)
    .execute();
}

/** A stored message waits for the index (in the message's transaction). */
export async function enqueueForIndex(db: Executor, row: SearchBacklogTable): Promise<void> {
  await enqueueQuery(db, row.message_id, row.conversation_id, row.workspace_id, row.created_at);
}

// Prepared: it runs with every stored message.
const enqueueQuery = prepared(
  4,
  (db, messageId: string, conversationId: string, workspaceId: string, createdAt: string) =>
    db.insertInto('search_backlog').values({
      message_id: messageId,
      conversation_id: conversationId,
      workspace_id: workspaceId,
      created_at: createdAt,
    }),
);

/** The oldest waiting messages (those still stored: a backlog row goes with its message). */
export function selectBacklogMessages(db: Executor, limit: number): Promise<MessagesTable[]> {
  return db
    .selectFrom('search_backlog')
    .innerJoin('messages', 'messages.id', 'search_backlog.message_id')
    .selectAll('messages')
    .orderBy('search_backlog.created_at')
    .limit(limit)
    .execute();
}

/**
 * Takes these messages off the backlog; returns the ids that were still on it. Another indexer that
 * took one first (or an erasure) leaves it out: the caller indexes only what it took.
 */
export async function takeIndexBacklog(db: Executor, messageIds: string[]): Promise<string[]> {
  const taken: string[] = [];
  for (let i = 0; i < messageIds.length; i += CHUNK) {
    const rows = await db
      .deleteFrom('search_backlog')
      .where('message_id', 'in', messageIds.slice(i, i + CHUNK))
      .returning('message_id')
      .execute();
    taken.push(...rows.map((r) => r.message_id));
  }
  return taken;
}

export function countIndexBacklog(db: Executor): Promise<number> {
  return db
    .selectFrom('search_backlog')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));
}
