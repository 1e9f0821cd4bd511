import type { Executor, MessagesTable } from '../../platform/db/schema.js';
import type {
  SearchBacklogTable,
  SearchTermsTable,
  SearchVisitorTermsTable,
} from '../../platform/db/schema-labels-search.js';

/** Rows per INSERT: well under both dialects' bound-parameter limits. */
const CHUNK = 150;

export async function insertMessageTerms(db: Executor, rows: SearchTermsTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK)
    await db
      .insertInto('search_terms')
      .values(rows.slice(i, i + CHUNK))
      .onConflict((oc) => oc.columns(['message_id', 'term_hash']).doNothing())
      .execute();
}

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
  await db.insertInto('search_backlog').values(row).execute();
}

/**
 * The oldest waiting messages. On PostgreSQL the rows are locked and rows another node holds are
 * skipped, so two nodes' indexers take different batches; SQLite has one writer at a time anyway.
 */
export async function takeIndexBacklog(
  db: Executor,
  o: { limit: number; skipLocked: boolean },
): Promise<string[]> {
  let q = db.selectFrom('search_backlog').select('message_id').orderBy('created_at').limit(o.limit);
  if (o.skipLocked) q = q.forUpdate().skipLocked();
  return (await q.execute()).map((r) => r.message_id);
}

export async function deleteIndexBacklog(db: Executor, messageIds: string[]): Promise<void> {
  for (let i = 0; i < messageIds.length; i += CHUNK)
    await db
      .deleteFrom('search_backlog')
      .where('message_id', 'in', messageIds.slice(i, i + CHUNK))
      .execute();
}

export function countIndexBacklog(db: Executor): Promise<number> {
  return db
    .selectFrom('search_backlog')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));
}

/** The messages with these ids (those still stored). */
export function selectMessagesByIds(db: Executor, ids: string[]): Promise<MessagesTable[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('messages').selectAll().where('id', 'in', ids).execute();
}
