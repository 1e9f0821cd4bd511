import { type Static, Type } from '@sinclair/typebox';
import { Conversation, Id, QueryTime } from './common.js';
import { Closed } from './responses.js';

export const SEARCH_LIMITS = {
  /** Characters of a search query. */
  maxQueryChars: 200,
  /** Terms of a query that count: more words narrow nothing useful and cost a join each. */
  maxQueryTerms: 8,
  /** Results per page. */
  maxResults: 50,
} as const;

/**
 * The statuses a search may filter by. The list grows with the conversation lifecycle; a status no
 * conversation has yet simply finds nothing.
 */
export const SEARCH_STATUSES = ['open', 'pending', 'snoozed', 'resolved', 'closed'] as const;
export type SearchStatus = (typeof SEARCH_STATUSES)[number];

export const SearchQuery = Type.Object(
  {
    /** Words of a message, a visitor's name or email. Empty: filters only. */
    q: Type.Optional(Type.String({ maxLength: SEARCH_LIMITS.maxQueryChars })),
    status: Type.Optional(Type.Union(SEARCH_STATUSES.map((s) => Type.Literal(s)))),
    /** An agent's user id, or `none` for conversations nobody is assigned. */
    assignee: Type.Optional(Type.Union([Id, Type.Literal('none')])),
    teamId: Type.Optional(Id),
    labelId: Type.Optional(Id),
    widgetId: Type.Optional(Id),
    /** Conversations with activity in [from, to]: created by `to`, last message at or after `from`. */
    from: Type.Optional(QueryTime),
    to: Type.Optional(QueryTime),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: SEARCH_LIMITS.maxResults })),
  },
  { additionalProperties: false },
);
export type SearchQuery = Static<typeof SearchQuery>;

export const SearchResults = Closed({ items: Type.Array(Conversation) });
export type SearchResults = Static<typeof SearchResults>;

export const SearchBackfill = Type.Object({ messages: Type.Integer(), profiles: Type.Integer() });
