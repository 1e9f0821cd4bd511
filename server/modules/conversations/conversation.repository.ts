import { prepared } from '../../platform/db/prepared.js';
import type { ConversationsTable, Executor, MessagesTable } from '../../platform/db/schema.js';
import type { ConversationStatus } from '../../platform/db/schema-lifecycle.js';
import { type Scope, type ScopeFacts, scopeWhere } from '../handoff/scope.js';
import type { ConversationAfterSend } from './message-events.js';

export async function insertConversation(db: Executor, row: ConversationsTable): Promise<void> {
  await db.insertInto('conversations').values(row).execute();
}

const summaryColumns = [
  'conversations.id',
  'conversations.workspace_id',
  'conversations.widget_id',
  'conversations.visitor_id',
  'conversations.status',
  'conversations.last_seq',
  'conversations.last_message_at',
  'conversations.last_message_preview',
  'conversations.created_at',
  'conversations.handoff_state',
  'conversations.handoff_requested_at',
  'conversations.snoozed_until',
  'conversations.previous_conversation_id',
  'conversations.channel',
  'visitors.display_name as visitor_name',
  // The name a visitor gave (sealed); opened by encryption/message-cipher.ts.
  'visitor_profiles.name as visitor_profile_name',
  'visitor_profiles.expires_at as visitor_profile_expires_at',
  // The current handoff query (service module), for the inbox and for who may see the conversation.
  'queries.id as query_id',
  'queries.state as query_state',
  'queries.assignee_id as query_assignee_id',
  'queries.team_id as query_team_id',
] as const;

export type ConversationSummaryRow = Awaited<ReturnType<typeof findConversationSummary>> & {};

/** The confinement policy's facts (handoff/scope.ts) from a summary row: no second read. */
export function scopeFactsOf(row: ConversationSummaryRow): ScopeFacts {
  return {
    workspaceId: row.workspace_id,
    visitorId: row.visitor_id,
    queryState: row.query_state ?? null,
    assigneeId: row.query_assignee_id ?? null,
    teamId: row.query_team_id ?? null,
  };
}

export async function findConversationSummary(db: Executor, workspaceId: string, id: string) {
  return (await summaryQuery(db, workspaceId, id)).rows[0];
}

const summaryQuery = prepared(2, (db, workspaceId: string, id: string) =>
  db
    .selectFrom('conversations')
    .innerJoin('visitors', 'visitors.id', 'conversations.visitor_id')
    .leftJoin('visitor_profiles', 'visitor_profiles.visitor_id', 'conversations.visitor_id')
    .leftJoin('queries', 'queries.id', 'conversations.query_id')
    .select(summaryColumns)
    .where('conversations.workspace_id', '=', workspaceId)
    .where('conversations.id', '=', id),
);

/** Inbox rows of these conversations (a search's results), in no particular order. */
export function findConversationSummaries(db: Executor, workspaceId: string, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('conversations')
    .innerJoin('visitors', 'visitors.id', 'conversations.visitor_id')
    .leftJoin('visitor_profiles', 'visitor_profiles.visitor_id', 'conversations.visitor_id')
    .leftJoin('queries', 'queries.id', 'conversations.query_id')
    .select(summaryColumns)
    .where('conversations.workspace_id', '=', workspaceId)
    .where('conversations.id', 'in', ids)
    .execute();
}

export function listConversationSummaries(
  db: Executor,
  options: {
    workspaceId: string;
    status: ConversationStatus | 'all';
    /** `mine` needs `userId`; `unassigned`: no assignee (queued, or never handed to people). */
    view?: 'mine' | 'unassigned' | 'all';
    userId?: string | null;
    before?: string;
    limit: number;
    scope: Scope;
  },
) {
  let q = db
    .selectFrom('conversations')
    .innerJoin('visitors', 'visitors.id', 'conversations.visitor_id')
    .leftJoin('visitor_profiles', 'visitor_profiles.visitor_id', 'conversations.visitor_id')
    .leftJoin('queries', 'queries.id', 'conversations.query_id')
    .select(summaryColumns)
    .where('conversations.workspace_id', '=', options.workspaceId);
  // Only what the reader's scope reaches (handoff/scope.ts), decided by the database.
  q = q.where(scopeWhere(options.scope));
  if (options.status !== 'all') q = q.where('conversations.status', '=', options.status);
  if (options.view === 'mine') q = q.where('queries.assignee_id', '=', options.userId ?? '');
  if (options.view === 'unassigned') q = q.where('queries.assignee_id', 'is', null);
  if (options.before) q = q.where('conversations.last_message_at', '<', options.before);
  return q
    .orderBy('conversations.last_message_at', 'desc')
    .orderBy('conversations.id')
    .limit(options.limit)
    .execute();
}

export function findConversationById(db: Executor, id: string) {
  return db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findOpenConversationOfVisitor(db: Executor, visitorId: string, widgetId: string) {
  return (
    db
      .selectFrom('conversations')
      .selectAll()
      .where('visitor_id', '=', visitorId)
      .where('widget_id', '=', widgetId)
      // Resolved, pending and snoozed conversations resume; only a closed one is over.
      .where('status', '!=', 'closed')
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst()
  );
}

/** What a send reads back of its conversation (message-events.ts): what the message path reads. */
export const AFTER_SEND_COLUMNS = [
  'id',
  'workspace_id',
  'widget_id',
  'visitor_id',
  'status',
  'last_seq',
  'handoff_state',
  'bot_listening',
  'query_id',
  'snoozed_until',
  'status_changed_at',
  'language',
  'channel',
] as const satisfies ReadonlyArray<keyof ConversationAfterSend>;

/**
 * Takes the next seq. The UPDATE locks the conversation row until the transaction ends, so
 * concurrent senders are serialized and seqs are unique and gap-free (a rollback returns the number).
 * A visitor's message also moves `last_visitor_seq`: its author has read the conversation up to it.
 */
export async function allocateSeq(
  db: Executor,
  conversationId: string,
  at: string,
  preview: string,
  authorKind: MessagesTable['author_kind'],
): Promise<ConversationAfterSend | undefined> {
  const query = authorKind === 'visitor' ? allocateVisitorSeqQuery : allocateSeqQuery;
  return (await query(db, conversationId, at, preview)).rows[0];
}

const allocateSeqQuery = prepared(3, (db, conversationId: string, at: string, preview: string) =>
  db
    .updateTable('conversations')
    .set((eb) => ({
      last_seq: eb('last_seq', '+', 1),
      last_message_at: at,
      last_message_preview: preview,
      updated_at: at,
    }))
    .where('id', '=', conversationId)
    .returning(AFTER_SEND_COLUMNS),
);

// SQLite and PostgreSQL both evaluate a SET's expressions against the row as it was before the
// UPDATE, so `last_seq + 1` here is the seq the message takes.
const allocateVisitorSeqQuery = prepared(3, (db, conversationId: string, at: string, preview: string) =>
  db
    .updateTable('conversations')
    .set((eb) => ({
      last_seq: eb('last_seq', '+', 1),
      last_visitor_seq: eb('last_seq', '+', 1),
      last_message_at: at,
      last_message_preview: preview,
      updated_at: at,
    }))
    .where('id', '=', conversationId)
    .returning(AFTER_SEND_COLUMNS),
);

/** Marks the conversation as waiting for a person; false when it already was (or does not exist). */
export async function markHandoffRequested(
  db: Executor,
  conversationId: string,
  at: string,
): Promise<boolean> {
  const result = await db
    .updateTable('conversations')
    .set({ handoff_state: 'requested', handoff_requested_at: at, updated_at: at })
    .where('id', '=', conversationId)
    .where('handoff_state', '=', 'bot')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Counts an unanswered question (or resets the count after an answer); returns the new count. */
export async function recordBotMiss(db: Executor, conversationId: string, missed: boolean): Promise<number> {
  const row = await db
    .updateTable('conversations')
    .set((eb) => ({ bot_misses: missed ? eb('bot_misses', '+', 1) : eb.val(0) }))
    .where('id', '=', conversationId)
    .returning('bot_misses')
    .executeTakeFirst();
  return row ? Number(row.bot_misses) : 0;
}

/** Whether the bot still waits for the visitor after a handoff (see MessageStream's bot turn). */
export async function setBotListening(db: Executor, conversationId: string, listening: boolean) {
  await db
    .updateTable('conversations')
    .set({ bot_listening: listening ? 1 : 0 })
    .where('id', '=', conversationId)
    .execute();
}

/** The last seq of each of these conversations (the hub's catch-up sweep). */
export async function findLastSeqs(db: Executor, ids: readonly string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('conversations')
    .select(['id', 'last_seq'])
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.id, Number(r.last_seq)]));
}

/** The page the visitor is on and the page that sent them there, both sealed by the caller. */
export async function setPage(
  db: Executor,
  conversationId: string,
  sealed: { pageUrl: string; referrer: string | null },
): Promise<void> {
  await db
    .updateTable('conversations')
    .set({ page_url: sealed.pageUrl, referrer: sealed.referrer })
    .where('id', '=', conversationId)
    .execute();
}

/** The conversation's current handoff query (set when one opens). */
export async function attachQuery(db: Executor, conversationId: string, queryId: string): Promise<void> {
  await db.updateTable('conversations').set({ query_id: queryId }).where('id', '=', conversationId).execute();
}

/** The bot answers again (the query was resolved): a later request for a person opens a new query. */
export async function returnToBot(db: Executor, conversationId: string, at: string): Promise<void> {
  await db
    .updateTable('conversations')
    .set({ handoff_state: 'bot', updated_at: at })
    .where('id', '=', conversationId)
    .execute();
}

/**
 * Locks a visitor's conversation rows until the caller's transaction ends (PostgreSQL only; SQLite
 * has one writer at a time). A message's store updates the row, and a row inserted anywhere that
 * refers to a conversation takes a key-share lock on it: both wait, then find it gone.
 */
export async function lockConversationsOfVisitor(db: Executor, visitorId: string): Promise<void> {
  await db.selectFrom('conversations').select('id').where('visitor_id', '=', visitorId).forUpdate().execute();
}

export async function listConversationIdsOfVisitor(db: Executor, visitorId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('conversations')
    .select('id')
    .where('visitor_id', '=', visitorId)
    .execute();
  return rows.map((r) => r.id);
}

export async function updateConversationLanguage(db: Executor, id: string, language: string): Promise<void> {
  await db.updateTable('conversations').set({ language }).where('id', '=', id).execute();
}
