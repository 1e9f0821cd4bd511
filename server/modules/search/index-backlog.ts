import type { Db } from '../../platform/db/schema.js';
import type { SearchTermsTable } from '../../platform/db/schema-labels-search.js';
import { openMessageRow } from '../encryption/message-cipher.js';
import type { Vault } from '../encryption/vault.js';
import { messageTerms } from './index-message.js';
import { insertMessageTerms, selectBacklogMessages, takeIndexBacklog } from './search-index.repository.js';
import { termHasherFor } from './term-hasher.js';

/** Messages written to the index per transaction: each write stays around a millisecond. */
const WRITE_CHUNK = 25;
/** Hashing runs in slices this long (ms); between them the event loop serves sockets. */
const SLICE_MS = 2;

/**
 * Indexes up to `limit` waiting messages. The work (opening each message, hashing its words) is done
 * before the write, so senders never wait behind it, and in slices of a couple of milliseconds, so a
 * batch never holds the event loop long enough to show in a message's latency; the write is short
 * transactions of WRITE_CHUNK messages that take the backlog rows (still there, so their messages
 * still are: a row goes with its message) and add the terms of exactly those. Two indexers that read
 * the same rows write each message's terms once: only one of them takes its row. Returns how many
 * waiting messages it read.
 */
export async function indexBacklog(deps: { db: Db; vault: Vault }, o: { limit: number }): Promise<number> {
  const waiting = await selectBacklogMessages(deps.db, o.limit);
  if (waiting.length === 0) return 0;
  const terms = new Map<string, SearchTermsTable[]>();
  let slice = performance.now();
  for (const row of waiting) {
    if (performance.now() - slice > SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      slice = performance.now();
    }
    const key = await deps.vault.forConversation(deps.db, row.conversation_id);
    const hasher = await termHasherFor(deps.db, deps.vault, row.workspace_id);
    // A visitor without a key was erased: the row is taken with nothing to index.
    terms.set(row.id, key ? messageTerms(hasher, openMessageRow(key, row)) : []);
  }
  const ids = [...terms.keys()];
  for (let i = 0; i < ids.length; i += WRITE_CHUNK) {
    const chunk = ids.slice(i, i + WRITE_CHUNK);
    await deps.db.transaction().execute(async (trx) => {
      const taken = await takeIndexBacklog(trx, chunk);
      await insertMessageTerms(
        trx,
        taken.flatMap((id) => terms.get(id) ?? []),
      );
    });
  }
  return waiting.length;
}
