import type { ColumnType, Generated } from 'kysely';

/** Tables of labels and the search index (migration 2026-12-04-0201-labels-search). */

export interface LabelsTable {
  id: string;
  workspace_id: string;
  name: string;
  /** The name folded (NFKC, lower case, spaces collapsed): two labels may not share it. */
  name_key: string;
  /** `#rrggbb`. */
  colour: string;
  created_at: string;
  updated_at: string;
}

export interface ConversationLabelsTable {
  conversation_id: string;
  label_id: string;
  workspace_id: string;
  /** The agent who added it (null: an API token). */
  added_by: string | null;
  created_at: string;
}

/**
 * One normalised word (or word beginning) of a message, as a keyed hash (search/term-hasher.ts): what
 * the indexer stores, as an FTS5 document on SQLite and a row of search_term_sets on PostgreSQL.
 */
export interface MessageTermRow {
  message_id: string;
  term_hash: string;
  workspace_id: string;
  conversation_id: string;
  /** 1: the word comes from an email, phone or card number in the text (masked for some roles). */
  personal: number;
}

/**
 * On SQLite, one indexed message (migration 2026-12-08-0101-search-fts): `doc` is the rowid of its
 * document in the FTS5 table `search_fts`, whose tokens are its terms' keyed hashes.
 */
export interface SearchDocsTable {
  doc: Generated<number>;
  message_id: string;
  conversation_id: string;
  workspace_id: string;
}

/** The FTS5 table itself (contentless: only `rowid` and the MATCH column are usable). */
export interface SearchFtsTable {
  rowid: number;
  terms: string;
  /** The table's own name, for MATCH (never written). */
  search_fts: ColumnType<string, never, never>;
}

/** FTS5's view of search_fts's terms (fts5vocab, 'row'): each token and how many documents hold it. */
export interface SearchFtsVocabTable {
  term: string;
  doc: number;
}

/** One normalised word (or prefix) of a visitor's name or email, as a keyed hash. */
export interface SearchVisitorTermsTable {
  visitor_id: string;
  term_hash: string;
  workspace_id: string;
}

/** A stored message the search index has not taken yet (search/search-indexer.ts). */
export interface SearchBacklogTable {
  message_id: string;
  conversation_id: string;
  workspace_id: string;
  created_at: string;
}

/**
 * On PostgreSQL, one indexed message (migration 2026-12-10-0101-search-term-sets): its terms' tokens
 * (search/fts-token.ts) under a GIN index.
 */
export interface SearchTermSetsTable {
  message_id: string;
  conversation_id: string;
  workspace_id: string;
  terms: string[];
}

export interface LabelsSearchTables {
  labels: LabelsTable;
  conversation_labels: ConversationLabelsTable;
  /** PostgreSQL only (SQLite: search_docs and search_fts). */
  search_term_sets: SearchTermSetsTable;
  /** SQLite only. */
  search_docs: SearchDocsTable;
  /** SQLite only. */
  search_fts: SearchFtsTable;
  /** SQLite only. */
  search_fts_vocab: SearchFtsVocabTable;
  search_visitor_terms: SearchVisitorTermsTable;
  search_backlog: SearchBacklogTable;
}
