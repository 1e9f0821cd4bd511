import type { Executor } from '../../platform/db/schema.js';
import { requeueEveryMessage } from './search-index.repository.js';

/**
 * The search index's tables (search_term_sets on PostgreSQL, search_docs on SQLite) and its backlog:
 * derived from the messages, so backups and exports leave them out, and a file moves between SQLite
 * and PostgreSQL whatever either keeps its index in. (The visitor profile's terms are rows on both.)
 * `search_terms` is PostgreSQL's index before migration 2026-12-10-0101: a backup taken then still
 * loads, without it.
 */
export const SEARCH_INDEX_TABLES: ReadonlySet<string> = new Set([
  'search_term_sets',
  'search_terms',
  'search_docs',
  'search_backlog',
]);

/**
 * After a load (restore or import), in its transaction: every message waits for the index again, and
 * the indexer builds it in the background (a search first takes what is waiting).
 */
export async function rebuildSearchIndexAfterLoad(db: Executor): Promise<void> {
  await requeueEveryMessage(db);
}
