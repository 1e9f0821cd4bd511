import type { Db, MessagesTable } from '../../platform/db/schema.js';
import type { WorkerClient } from '../../platform/workers/worker-client.js';
import type { Vault } from '../encryption/vault.js';
import { isIndexedAuthor } from './index-policy.js';
import type { PreparedMessage, PrepareRequest } from './prepare-index.js';
import {
  insertMessageDocuments,
  selectBacklogMessages,
  takeIndexBacklog,
} from './search-index.repository.js';

/** Messages written to the index per transaction: each write stays around a millisecond. */
const WRITE_CHUNK = 25;

/** The search indexer's worker thread (index-worker.ts). */
export type IndexWorker = WorkerClient<PrepareRequest, PreparedMessage[]>;

export interface IndexDeps {
  db: Db;
  vault: Vault;
  /** Where messages are opened and their terms hashed: off the event loop. */
  worker: IndexWorker;
}

/**
 * Indexes up to `limit` waiting messages, WRITE_CHUNK at a time. The event loop only looks up keys
 * and reads and writes rows: opening each message, taking its words and hashing them
 * (prepare-index.ts), most of the CPU, is done on the worker thread before the write, so senders
 * never wait behind it, and in chunks, so no step holds the event loop for more than about a
 * millisecond. Each write is a short transaction that takes the chunk's backlog rows (still there,
 * so their messages still are: a row goes with its message) and adds the terms of exactly those.
 * Two indexers that read the same rows write each message's terms once: only one of them takes its
 * row. Returns how many waiting messages it read.
 */
export async function indexBacklog(deps: IndexDeps, o: { limit: number }): Promise<number> {
  const waiting = await selectBacklogMessages(deps.db, o.limit);
  const chunks: MessagesTable[][] = [];
  for (let i = 0; i < waiting.length; i += WRITE_CHUNK) chunks.push(waiting.slice(i, i + WRITE_CHUNK));
  // The worker prepares the next chunk while this one is written.
  let next = chunks[0] ? prepareAhead(deps, chunks[0]) : null;
  for (const [n, chunk] of chunks.entries()) {
    const prepared = (await next) ?? new Map<string, PreparedMessage>();
    const following = chunks[n + 1];
    next = following ? prepareAhead(deps, following) : null;
    await deps.db.transaction().execute(async (trx) => {
      const taken = new Set(
        await takeIndexBacklog(
          trx,
          chunk.map((row) => row.id),
        ),
      );
      const indexed = chunk.flatMap((row) => {
        const index = prepared.get(row.id);
        return taken.has(row.id) && index ? [{ row, index }] : [];
      });
      await insertMessageDocuments(
        trx,
        indexed
          .filter(({ index }) => index.document !== '')
          .map(({ row, index }) => ({
            message_id: row.id,
            conversation_id: row.conversation_id,
            workspace_id: row.workspace_id,
            document: index.document,
          })),
      );
    });
  }
  return waiting.length;
}

/** prepareInWorker, whose failure is seen when it is awaited, or not at all if an earlier write failed. */
function prepareAhead(deps: IndexDeps, rows: MessagesTable[]): Promise<Map<string, PreparedMessage>> {
  const prepared = prepareInWorker(deps, rows);
  prepared.catch(() => {});
  return prepared;
}

/** Each message's index, prepared on the worker: one request per workspace, under its search key. */
async function prepareInWorker(
  deps: IndexDeps,
  rows: MessagesTable[],
): Promise<Map<string, PreparedMessage>> {
  const requests = new Map<string, PrepareRequest['messages']>();
  for (const row of rows) {
    // A visitor without a key was erased: the row is taken with nothing to index.
    const key = isIndexedAuthor(row.author_kind)
      ? await deps.vault.forConversation(deps.db, row.conversation_id)
      : null;
    const item = {
      message: { id: row.id, author_kind: row.author_kind, body: row.body },
      key: key && { visitorId: key.visitorId, bytes: key.copyForWorker() },
    };
    const group = requests.get(row.workspace_id);
    if (group) group.push(item);
    else requests.set(row.workspace_id, [item]);
  }
  const out = new Map<string, PreparedMessage>();
  for (const [workspaceId, messages] of requests) {
    const searchKey = new Uint8Array(await deps.vault.searchKey(deps.db, workspaceId));
    for (const p of await deps.worker.request({ searchKey, messages })) out.set(p.id, p);
  }
  return out;
}
