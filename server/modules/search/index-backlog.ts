import type { HmacWorker } from '../../platform/crypto/hmac-worker.js';
import type { Db, MessagesTable } from '../../platform/db/schema.js';
import type { SearchTermsTable } from '../../platform/db/schema-labels-search.js';
import { openMessageRow } from '../encryption/message-cipher.js';
import type { Vault } from '../encryption/vault.js';
import { termRows } from './index-message.js';
import { type IndexedTerm, indexedTerms, isIndexedAuthor } from './index-policy.js';
import { insertMessageTerms, selectBacklogMessages, takeIndexBacklog } from './search-index.repository.js';
import { HASH_BYTES, termValue } from './term-hasher.js';

/** Messages written to the index per transaction: each write stays around a millisecond. */
const WRITE_CHUNK = 25;
/** Opening messages and taking their terms runs in slices this long (ms); between them the event loop serves sockets. */
const SLICE_MS = 2;

export interface IndexDeps {
  db: Db;
  vault: Vault;
  /** Where the terms are hashed: off the event loop. */
  digests: HmacWorker;
}

/**
 * Indexes up to `limit` waiting messages. The work (opening each message, taking its words) is done
 * before the write, so senders never wait behind it, and in slices of a couple of milliseconds; the
 * keyed hashes of the terms, most of the CPU, are computed on a worker thread, one batch per
 * workspace. The write is short transactions of WRITE_CHUNK messages that take the backlog rows
 * (still there, so their messages still are: a row goes with its message) and add the terms of
 * exactly those. Two indexers that read the same rows write each message's terms once: only one of
 * them takes its row. Returns how many waiting messages it read.
 */
export async function indexBacklog(deps: IndexDeps, o: { limit: number }): Promise<number> {
  const waiting = await selectBacklogMessages(deps.db, o.limit);
  if (waiting.length === 0) return 0;
  const found: Array<{ row: MessagesTable; terms: IndexedTerm[] }> = [];
  let slice = performance.now();
  for (const row of waiting) {
    if (performance.now() - slice > SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      slice = performance.now();
    }
    const key = await deps.vault.forConversation(deps.db, row.conversation_id);
    // A visitor without a key was erased: the row is taken with nothing to index.
    const indexed = key && isIndexedAuthor(row.author_kind);
    found.push({ row, terms: indexed ? indexedTerms(openMessageRow(key, row).body) : [] });
  }
  const terms = await hashTerms(deps, found);
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

/** Each message's index rows, its terms hashed under its workspace's search key on the worker. */
async function hashTerms(
  deps: IndexDeps,
  found: Array<{ row: MessagesTable; terms: IndexedTerm[] }>,
): Promise<Map<string, SearchTermsTable[]>> {
  const byWorkspace = new Map<string, typeof found>();
  for (const f of found) {
    const group = byWorkspace.get(f.row.workspace_id);
    if (group) group.push(f);
    else byWorkspace.set(f.row.workspace_id, [f]);
  }
  const rows = new Map<string, SearchTermsTable[]>();
  for (const [workspaceId, group] of byWorkspace) {
    const key = await deps.vault.searchKey(deps.db, workspaceId);
    const values = group.flatMap((f) => f.terms.map((t) => termValue(t.kind, t.term)));
    const hashes = await deps.digests.digest(key, values, HASH_BYTES);
    let next = 0;
    for (const { row, terms } of group) {
      rows.set(row.id, termRows(row, terms, hashes.slice(next, next + terms.length)));
      next += terms.length;
    }
  }
  return rows;
}
