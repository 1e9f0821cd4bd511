import type { SearchStatus } from '../../../protocol/search.js';
import { dialectOf } from '../../platform/db/dialect.js';
import type { Executor } from '../../platform/db/schema.js';
import { type Scope, scopeWhere } from '../handoff/scope.js';
import { ftsMatch, searchTokens } from './fts-token.js';
import { holdsAnyToken } from './search-index.repository.js';

export interface TermMatch {
  /** Hash of the term as a whole word. */
  word: string;
  /** Hash of the term as the beginning of a longer word (messages from 3 characters, names and emails from 2). */
  prefix: string;
}

export interface SearchFilter {
  workspaceId: string;
  scope: Scope;
  terms: TermMatch[];
  /** Whether the caller may find conversations by personal data (names, emails, numbers in text). */
  personalData: boolean;
  status?: SearchStatus;
  /** A user id, or null for conversations nobody is assigned. */
  assigneeId?: string | null;
  teamId?: string;
  labelId?: string;
  widgetId?: string;
  from?: string;
  to?: string;
  limit: number;
}

/**
 * The ids of the conversations that match, newest activity first: a read model over the
 * conversations, their current query (for confinement and the assignee and team filters), the
 * labels and the index. Every term must match a word, or the beginning of one, of one of the
 * conversation's messages or (for callers with personal-data access) the visitor's name or email.
 */
export async function findMatchingConversationIds(db: Executor, f: SearchFilter): Promise<string[]> {
  let q = db
    .selectFrom('conversations')
    .leftJoin('queries', 'queries.id', 'conversations.query_id')
    .select('conversations.id')
    .where('conversations.workspace_id', '=', f.workspaceId)
    // Only what the caller's scope reaches (handoff/scope.ts), exactly as the conversation list.
    .where(scopeWhere(f.scope));
  const sqlite = dialectOf(db) === 'sqlite';
  for (const term of f.terms) {
    q = q.where((eb) => {
      // SQLite: FTS5 (migration 2026-12-08-0101-search-fts), the documents holding the word or the
      // prefix as a token anyone may search and, with personal-data access, as one inside an email or
      // number. PostgreSQL: the messages' token arrays (migration 2026-12-10-0101-search-term-sets),
      // the same tokens, under a GIN index.
      const inMessages = sqlite
        ? eb
            .selectFrom('search_docs')
            .select('search_docs.conversation_id')
            .where('search_docs.workspace_id', '=', f.workspaceId)
            .where(
              'search_docs.doc',
              'in',
              eb
                .selectFrom('search_fts')
                .select('search_fts.rowid')
                .where('search_fts', 'match', ftsMatch([term.word, term.prefix], f.personalData)),
            )
        : eb
            .selectFrom('search_term_sets')
            .select('search_term_sets.conversation_id')
            .where('search_term_sets.workspace_id', '=', f.workspaceId)
            .where(holdsAnyToken(searchTokens([term.word, term.prefix], f.personalData)));
      const byMessage = eb('conversations.id', 'in', inMessages);
      if (!f.personalData) return byMessage;
      return eb.or([
        byMessage,
        eb(
          'conversations.visitor_id',
          'in',
          eb
            .selectFrom('search_visitor_terms')
            .select('search_visitor_terms.visitor_id')
            .where('search_visitor_terms.workspace_id', '=', f.workspaceId)
            .where('search_visitor_terms.term_hash', 'in', [term.word, term.prefix]),
        ),
      ]);
    });
  }
  if (f.status) q = q.where('conversations.status', '=', f.status as never);
  if (f.assigneeId !== undefined)
    q =
      f.assigneeId === null
        ? q.where('queries.assignee_id', 'is', null)
        : q.where('queries.assignee_id', '=', f.assigneeId);
  if (f.teamId) q = q.where('queries.team_id', '=', f.teamId);
  if (f.widgetId) q = q.where('conversations.widget_id', '=', f.widgetId);
  if (f.labelId) {
    const labelId = f.labelId;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('conversation_labels')
          .select('conversation_labels.label_id')
          .whereRef('conversation_labels.conversation_id', '=', 'conversations.id')
          .where('conversation_labels.label_id', '=', labelId),
      ),
    );
  }
  if (f.to) q = q.where('conversations.created_at', '<=', f.to);
  if (f.from) {
    const from = f.from;
    q = q.where((eb) =>
      eb.or([
        eb('conversations.last_message_at', '>=', from),
        eb.and([eb('conversations.last_message_at', 'is', null), eb('conversations.created_at', '>=', from)]),
      ]),
    );
  }
  const rows = await q
    .orderBy('conversations.last_message_at', 'desc')
    .orderBy('conversations.id')
    .limit(f.limit)
    .execute();
  return rows.map((r) => r.id);
}
