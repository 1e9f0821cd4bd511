import { sql } from 'kysely';
import { dialectOf } from '../../platform/db/dialect.js';
import type { Executor, MessagesTable } from '../../platform/db/schema.js';
import type { MessageTermRow, SearchVisitorTermsTable } from '../../platform/db/schema-labels-search.js';
import { ftsDocument, ftsMatch, ftsToken, searchTokens } from './fts-token.js';

/** Rows per INSERT: well under both dialects' bound-parameter limits. */
const CHUNK = 150;

/** One message's terms as one FTS5 document (SQLite): space-separated tokens (fts-token.ts). */
export interface MessageDocument {
  message_id: string;
  conversation_id: string;
  workspace_id: string;
  document: string;
}

/**
 * Stores these term rows (one message's or several) as one entry per message, replaced as a whole if
 * the message was indexed before: on SQLite an FTS5 document (search_docs + search_fts, migration
 * 2026-12-08-0101-search-fts), on PostgreSQL a row of search_term_sets holding the same tokens
 * (migration 2026-12-10-0101-search-term-sets). Indexing a message twice leaves what indexing it
 * once does.
 */
export async function insertMessageTerms(db: Executor, rows: MessageTermRow[]): Promise<void> {
  if (rows.length === 0) return;
  await insertMessageDocuments(db, documentsOf(rows));
}

/**
 * Stores messages' documents (their tokens, space-separated), replacing those of a message indexed
 * before.
 */
export async function insertMessageDocuments(db: Executor, docs: MessageDocument[]): Promise<void> {
  if (dialectOf(db) !== 'sqlite') return insertTermSets(db, docs);
  for (let i = 0; i < docs.length; i += CHUNK) {
    const chunk = docs.slice(i, i + CHUNK);
    const byId = new Map(chunk.map((d) => [d.message_id, d]));
    // A message indexed before (a reindex) loses its document first; the trigger takes its tokens.
    await db
      .deleteFrom('search_docs')
      .where('message_id', 'in', [...byId.keys()])
      .execute();
    const stored = await db
      .insertInto('search_docs')
      .values(
        chunk.map((d) => ({
          message_id: d.message_id,
          conversation_id: d.conversation_id,
          workspace_id: d.workspace_id,
        })),
      )
      .returning(['doc', 'message_id'])
      .execute();
    await db
      .insertInto('search_fts')
      .values(stored.map((d) => ({ rowid: d.doc, terms: byId.get(d.message_id)?.document ?? '' })))
      .execute();
  }
}

/** PostgreSQL: a row per message, its tokens as an array (a reindex replaces them). */
async function insertTermSets(db: Executor, docs: MessageDocument[]): Promise<void> {
  for (let i = 0; i < docs.length; i += CHUNK) {
    await db
      .insertInto('search_term_sets')
      .values(
        docs.slice(i, i + CHUNK).map((d) => ({
          message_id: d.message_id,
          conversation_id: d.conversation_id,
          workspace_id: d.workspace_id,
          terms: d.document.split(' '),
        })),
      )
      .onConflict((oc) => oc.column('message_id').doUpdateSet((eb) => ({ terms: eb.ref('excluded.terms') })))
      .execute();
  }
}

function documentsOf(rows: MessageTermRow[]): MessageDocument[] {
  const byMessage = new Map<string, MessageTermRow[]>();
  for (const r of rows) {
    const list = byMessage.get(r.message_id);
    if (list) list.push(r);
    else byMessage.set(r.message_id, [r]);
  }
  return [...byMessage.values()].map((terms) => {
    const first = terms[0] as MessageTermRow;
    return {
      message_id: first.message_id,
      conversation_id: first.conversation_id,
      workspace_id: first.workspace_id,
      document: ftsDocument(terms.map((t) => [t.term_hash, t.personal === 1])),
    };
  });
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

/**
 * The oldest waiting messages (those still stored: a backlog row goes with its message). The backlog's
 * first rows are taken first and only then joined to their messages: joined first, PostgreSQL merges
 * the backlog with the messages index in id order when its statistics lag (a table growing under
 * load), reading every message indexed before the oldest waiting one: 24,100 rows and 9.6 ms for a
 * page of 100 in a table of 30,000 (PERFORMANCE.md), more with every message stored.
 */
export function selectBacklogMessages(db: Executor, limit: number): Promise<MessagesTable[]> {
  return backlogMessagesQuery(db, limit).execute();
}

export function backlogMessagesQuery(db: Executor, limit: number) {
  return db
    .selectFrom((eb) =>
      eb
        .selectFrom('search_backlog')
        .select('message_id')
        // Oldest first: message ids are time-ordered (those from before version 7 ids come in any order).
        .orderBy('message_id')
        .limit(limit)
        .as('waiting'),
    )
    .innerJoin('messages', 'messages.id', 'waiting.message_id')
    .selectAll('messages')
    .orderBy('waiting.message_id');
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

/**
 * After a backup or an export is loaded: the index is derived data and is not in the file, so every
 * message goes back on the backlog and the indexer builds the index again in the background.
 */
export async function requeueEveryMessage(db: Executor): Promise<void> {
  await db
    .insertInto('search_backlog')
    .columns(['message_id', 'conversation_id', 'workspace_id', 'created_at'])
    .expression(
      db
        .selectFrom('messages')
        .select(['id', 'conversation_id', 'workspace_id', 'created_at'])
        .where('author_kind', '!=', 'bot'),
    )
    .onConflict((oc) => oc.column('message_id').doNothing())
    .execute();
}

/** The messages whose index entry holds this term hash as a whole word (tests and the bench look). */
export async function messagesWithWord(
  db: Executor,
  wordHash: string,
  conversationId?: string,
): Promise<string[]> {
  if (dialectOf(db) === 'sqlite') {
    let q = db
      .selectFrom('search_docs')
      .select('message_id')
      .where(
        'doc',
        'in',
        db
          .selectFrom('search_fts')
          .select('rowid')
          .where('search_fts', 'match', ftsMatch([wordHash], true)),
      );
    if (conversationId) q = q.where('conversation_id', '=', conversationId);
    return (await q.execute()).map((r) => r.message_id);
  }
  let q = db
    .selectFrom('search_term_sets')
    .select('message_id')
    .where(holdsAnyToken(searchTokens([wordHash], true)));
  if (conversationId) q = q.where('conversation_id', '=', conversationId);
  return (await q.execute()).map((r) => r.message_id);
}

/** PostgreSQL: a search_term_sets row holding any of these tokens (the GIN index answers `&&`). */
export function holdsAnyToken(tokens: string[]) {
  return sql<boolean>`search_term_sets.terms && ${tokens}::text[]`;
}

/**
 * Whether any of these term hashes is still in the index's own structures: on SQLite FTS5's term
 * list (a deleted document must take its tokens with it, not leave a tombstone), on PostgreSQL the rows.
 */
export async function termsRemain(db: Executor, hashes: string[]): Promise<boolean> {
  if (hashes.length === 0) return false;
  if (dialectOf(db) === 'sqlite') {
    const tokens = hashes.flatMap((h) => [ftsToken(h, false), ftsToken(h, true)]);
    const rows = await db.selectFrom('search_fts_vocab').select('term').where('term', 'in', tokens).execute();
    return rows.length > 0;
  }
  const rows = await db
    .selectFrom('search_term_sets')
    .select('message_id')
    .where(holdsAnyToken(searchTokens(hashes, true)))
    .limit(1)
    .execute();
  return rows.length > 0;
}

/** Drops a conversation's messages from the index (or every message): tests stage a reindex with it. */
export async function dropFromIndex(db: Executor, conversationId?: string): Promise<void> {
  const table = dialectOf(db) === 'sqlite' ? 'search_docs' : 'search_term_sets';
  let q = db.deleteFrom(table);
  if (conversationId) q = q.where('conversation_id', '=', conversationId);
  await q.execute();
}

/**
 * How many terms the index holds for each of a conversation's messages (tests look at the bound). On
 * SQLite FTS5 keeps each document's token count in `search_fts_docsize`, as a varint.
 */
export async function termCountsOf(db: Executor, conversationId: string): Promise<number[]> {
  if (dialectOf(db) === 'sqlite') {
    const { rows } = await sql<{ sz: Uint8Array }>`SELECT sz FROM search_fts_docsize
      WHERE id IN (SELECT doc FROM search_docs WHERE conversation_id = ${conversationId})`.execute(db);
    return rows.map((r) => readVarint(r.sz));
  }
  const { rows } = await sql<{ n: number }>`SELECT cardinality(terms) AS n FROM search_term_sets
    WHERE conversation_id = ${conversationId}`.execute(db);
  return rows.map((r) => Number(r.n));
}

/** SQLite's varint: big-endian groups of 7 bits, the high bit set on all but the last. */
function readVarint(bytes: Uint8Array): number {
  let n = 0;
  for (const b of bytes) {
    n = n * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) break;
  }
  return n;
}

/** How many messages the index holds (the bench reports it). */
export async function countIndexedMessages(db: Executor): Promise<number> {
  const q =
    dialectOf(db) === 'sqlite'
      ? db.selectFrom('search_docs').select((eb) => eb.fn.countAll<number>().as('n'))
      : db.selectFrom('search_term_sets').select((eb) => eb.fn.countAll<number>().as('n'));
  return Number((await q.executeTakeFirstOrThrow()).n);
}
