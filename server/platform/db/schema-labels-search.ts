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

/** One normalised word of a message, as a keyed hash (search/term-hasher.ts). */
export interface SearchTermsTable {
  message_id: string;
  term_hash: string;
  workspace_id: string;
  conversation_id: string;
  /** 1: the word comes from an email, phone or card number in the text (masked for some roles). */
  personal: number;
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

export interface LabelsSearchTables {
  labels: LabelsTable;
  conversation_labels: ConversationLabelsTable;
  search_terms: SearchTermsTable;
  search_visitor_terms: SearchVisitorTermsTable;
  search_backlog: SearchBacklogTable;
}
