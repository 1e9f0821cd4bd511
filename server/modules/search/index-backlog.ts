import type { Db } from '../../platform/db/schema.js';
import type { SearchTermsTable } from '../../platform/db/schema-labels-search.js';
import { openMessageRow } from '../encryption/message-cipher.js';
import type { Vault } from '../encryption/vault.js';
import { messageTerms } from './index-message.js';
import { insertMessageTerms, selectBacklogMessages, takeIndexBacklog } from './search-index.repository.js';
import { termHasherFor } from './term-hasher.js';

/**
 * Indexes up to `limit` waiting messages. The work (opening each message, hashing its words) is done
 * before the write, so senders never wait behind it; the write is one short transaction that takes
 * the backlog rows (still there, so their messages still are: a row goes with its message) and adds
 * the terms of exactly those. Two indexers that read the same rows write each message's terms once:
 * only one of them takes its row. Returns how many waiting messages it read.
 */
export async function indexBacklog(deps: { db: Db; vault: Vault }, o: { limit: number }): Promise<number> {
  const waiting = await selectBacklogMessages(deps.db, o.limit);
  if (waiting.length === 0) return 0;
  const terms = new Map<string, SearchTermsTable[]>();
  for (const row of waiting) {
    const key = await deps.vault.forConversation(deps.db, row.conversation_id);
    const hasher = await termHasherFor(deps.db, deps.vault, row.workspace_id);
    // A visitor without a key was erased: the row is taken with nothing to index.
    terms.set(row.id, key ? messageTerms(hasher, openMessageRow(key, row)) : []);
  }
  await deps.db.transaction().execute(async (trx) => {
    const taken = await takeIndexBacklog(trx, [...terms.keys()]);
    await insertMessageTerms(
      trx,
      taken.flatMap((id) => terms.get(id) ?? []),
    );
  });
  return waiting.length;
}
