import type { Conversation } from '../../../protocol/common.js';
import { SEARCH_LIMITS, type SearchQuery } from '../../../protocol/search.js';
import type { Executor } from '../../platform/db/schema.js';
import { findConversationSummaries } from '../conversations/lookups.js';
import { openSummaryRows } from '../encryption/message-cipher.js';
import type { Vault } from '../encryption/vault.js';
import type { Scope } from '../handoff/scope.js';
import { type Viewer, viewConversation } from '../privacy/views.js';
import { queryPrefix, queryTerms } from './normalize.js';
import { findMatchingConversationIds } from './search.repository.js';
import { termHasherFor } from './term-hasher.js';

/** A date alone means the whole day: `to=2026-12-03` includes that day. */
function endOf(time: string): string {
  return time.length === 10 ? `${time}T23:59:59.999Z` : time;
}

/**
 * One search box: the conversations in the caller's scope whose messages (or visitor's name or
 * email) hold every word of the query, as a word or the beginning of one ("refun" finds "refund"), narrowed by the filters, presented and masked exactly as the
 * conversation list presents them. Roles without personal-data access search only words they could
 * read: not the visitor's name or email, and not words inside an email or number in a message.
 */
export async function searchConversations(o: {
  db: Executor;
  vault: Vault;
  workspaceId: string;
  scope: Scope;
  viewer: Viewer;
  query: SearchQuery;
}): Promise<Conversation[]> {
  const { db, vault, workspaceId, query } = o;
  const words = queryTerms(query.q ?? '', SEARCH_LIMITS.maxQueryTerms);
  // Words too short to be indexed match nothing (rather than everything).
  if (words.length === 0 && (query.q ?? '').trim() !== '') return [];
  const hasher = words.length > 0 ? await termHasherFor(db, vault, workspaceId) : null;
  const ids = await findMatchingConversationIds(db, {
    workspaceId,
    scope: o.scope,
    personalData: o.viewer.personalData,
    terms: hasher ? words.map((w) => ({ word: hasher.word(w), prefix: hasher.prefix(queryPrefix(w)) })) : [],
    ...(query.status ? { status: query.status } : {}),
    ...(query.assignee ? { assigneeId: query.assignee === 'none' ? null : query.assignee } : {}),
    ...(query.teamId ? { teamId: query.teamId } : {}),
    ...(query.labelId ? { labelId: query.labelId } : {}),
    ...(query.widgetId ? { widgetId: query.widgetId } : {}),
    ...(query.from ? { from: query.from } : {}),
    ...(query.to ? { to: endOf(query.to) } : {}),
    limit: query.limit ?? SEARCH_LIMITS.maxResults,
  });
  const rows = await findConversationSummaries(db, workspaceId, ids);
  const order = new Map(ids.map((id, i) => [id, i]));
  rows.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  const opened = await openSummaryRows(vault, db, rows);
  return opened.map((row) => viewConversation(row, o.viewer));
}
