import type { Db } from '../../platform/db/schema.js';
import type { SearchTermsTable } from '../../platform/db/schema-labels-search.js';
import { openMessageRow } from '../encryption/message-cipher.js';
import type { Vault } from '../encryption/vault.js';
import { messageTerms } from './index-message.js';
import {
  deleteIndexBacklog,
  insertMessageTerms,
  selectMessagesByIds,
  takeIndexBacklog,
} from './search-index.repository.js';
import { termHasherFor } from './term-hasher.js';

/**
 * Indexes up to `limit` waiting messages in one transaction: their terms are written and their
 * backlog rows removed together, so a batch is either done or left for the next try. A message
 * erased meanwhile is gone from the backlog with it (and a visitor without a key is not indexed).
 * Returns how many backlog rows it took.
 */
export async function indexBacklog(
  deps: { db: Db; vault: Vault },
  o: { limit: number; skipLocked: boolean },
): Promise<number> {
  return deps.db.transaction().execute(async (trx) => {
    const ids = await takeIndexBacklog(trx, o);
    if (ids.length === 0) return 0;
    const rows: SearchTermsTable[] = [];
    for (const row of await selectMessagesByIds(trx, ids)) {
      const key = await deps.vault.forConversation(trx, row.conversation_id);
      if (!key) continue;
      const hasher = await termHasherFor(trx, deps.vault, row.workspace_id);
      rows.push(...messageTerms(hasher, openMessageRow(key, row)));
    }
    await insertMessageTerms(trx, rows);
    await deleteIndexBacklog(trx, ids);
    return ids.length;
  });
}
